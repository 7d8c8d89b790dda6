import { asApiError } from '../api/client.ts';
import { type ReportBody, refusalCode, sendReport } from './api.ts';
import { KeyValueDb } from './idb.ts';

/**
 * The outbox of production reports. Every report is written here first (with the idempotency key made
 * when it was taken) and removed only after the server has answered 201 (recorded) or 200 `duplicate`
 * (recorded earlier): a report can be resent any number of times — after a lost answer, a reload, a crash,
 * from two tabs at once — and the server counts it once. A network failure, 5xx, 408/429 and a 409
 * `IDEMPOTENCY_IN_FLIGHT` leave it pending for the next attempt; a 401 stops sending until someone signs
 * in again; any other 4xx marks it failed with the server's problem for the operator to read and discard.
 */

export interface QueuedReport {
  /** The idempotency key, also the record's key. */
  key: string;
  operationId: string;
  /** What the operator saw, so the queue reads without the server. */
  workOrderCode: string;
  operationLabel: string;
  takenBy: string;
  body: ReportBody;
  status: 'pending' | 'failed';
  attempts: number;
  lastAttemptAt: string | null;
  error: { status: number; code: string; detail: string } | null;
}

export interface QueueSnapshot {
  items: QueuedReport[];
  sending: boolean;
  /** The last flush stopped on a 401: the session has ended. */
  needsSignIn: boolean;
}

export type FlushOutcome = { sent: number; failed: number; pending: number; unauthorized: boolean };

const STORE = 'reports';
const db = new KeyValueDb('takt-terminal', 1, [{ name: STORE, keyPath: 'key' }]);
const LOCK = 'takt-terminal-report-queue';

let snapshot: QueueSnapshot = { items: [], sending: false, needsSignIn: false };
const listeners = new Set<(s: QueueSnapshot) => void>();
let running: Promise<FlushOutcome> | null = null;
let again = false;

function publish(patch: Partial<QueueSnapshot>): void {
  snapshot = { ...snapshot, ...patch };
  for (const l of listeners) l(snapshot);
}

async function reload(): Promise<QueuedReport[]> {
  const items = (await db.getAll<QueuedReport>(STORE)).sort((a, b) =>
    a.body.reportedAt.localeCompare(b.body.reportedAt),
  );
  publish({ items });
  return items;
}

export function queueSnapshot(): QueueSnapshot {
  return snapshot;
}

export function subscribeQueue(listener: (s: QueueSnapshot) => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Reads the stored queue (after a reload, the reports of the last session are still there). */
export function loadQueue(): Promise<QueuedReport[]> {
  return reload();
}

/** Stores a report durably; resolves once it is on disk. Send it with `flushQueue`. */
export async function enqueueReport(
  report: Omit<QueuedReport, 'status' | 'attempts' | 'lastAttemptAt' | 'error'>,
): Promise<void> {
  await db.put<QueuedReport>(STORE, {
    ...report,
    status: 'pending',
    attempts: 0,
    lastAttemptAt: null,
    error: null,
  });
  await reload();
}

export async function discardReport(key: string): Promise<void> {
  await db.delete(STORE, key);
  await reload();
}

/** Puts a failed report back to pending (for example after the supervisor fixed the operation). */
export async function retryReport(key: string): Promise<void> {
  const item = await db.get<QueuedReport>(STORE, key);
  if (item) await db.put<QueuedReport>(STORE, { ...item, status: 'pending', error: null });
  await reload();
}

type Verdict = 'sent' | 'retry' | 'failed' | 'unauthorized';

function verdictOf(status: number, code: string): Verdict {
  if (status === 0 || status >= 500 || status === 408 || status === 429) return 'retry';
  if (status === 401) return 'unauthorized';
  if (status === 409 && code === 'IDEMPOTENCY_IN_FLIGHT') return 'retry';
  return 'failed';
}

async function sendOne(item: QueuedReport): Promise<Verdict> {
  const attemptAt = new Date().toISOString();
  try {
    // 201 = recorded now, 200 duplicate = recorded by an earlier send whose answer never arrived.
    await sendReport(item.operationId, item.body);
    await db.delete(STORE, item.key);
    return 'sent';
  } catch (error) {
    const e = asApiError(error);
    const verdict = verdictOf(e.status, e.code);
    const stored = await db.get<QueuedReport>(STORE, item.key);
    if (!stored) return verdict; // discarded meanwhile
    await db.put<QueuedReport>(STORE, {
      ...stored,
      status: verdict === 'failed' ? 'failed' : 'pending',
      attempts: stored.attempts + 1,
      lastAttemptAt: attemptAt,
      error: { status: e.status, code: refusalCode(e), detail: e.detail ?? e.title },
    });
    return verdict;
  }
}

async function flushOnce(): Promise<FlushOutcome> {
  const outcome: FlushOutcome = { sent: 0, failed: 0, pending: 0, unauthorized: false };
  const items = await reload();
  for (const item of items) {
    if (item.status !== 'pending') continue;
    const verdict = await sendOne(item);
    if (verdict === 'sent') outcome.sent++;
    else if (verdict === 'failed') outcome.failed++;
    else if (verdict === 'unauthorized') {
      outcome.unauthorized = true;
      break;
    } else {
      // Unreachable or busy: the rest would fail the same way; keep the order and try later.
      break;
    }
  }
  const left = await reload();
  outcome.pending = left.filter((i) => i.status === 'pending').length;
  return outcome;
}

function withLock(run: () => Promise<FlushOutcome>): Promise<FlushOutcome> {
  // One sender across tabs of this browser; the idempotency key covers everything else.
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? locks.request(LOCK, run) : run();
}

/**
 * Sends the pending reports in the order they were taken. Calls while a flush runs join it (and cause
 * one more pass afterwards, for reports queued meanwhile), so this tab never has two sends in flight.
 */
export function flushQueue(): Promise<FlushOutcome> {
  if (running) {
    again = true;
    return running;
  }
  publish({ sending: true });
  const run = (async () => {
    let outcome: FlushOutcome;
    do {
      again = false;
      outcome = await withLock(flushOnce);
    } while (again && !outcome.unauthorized && outcome.pending > 0);
    return outcome;
  })();
  running = run;
  run
    .then(
      (o) => publish({ needsSignIn: o.unauthorized }),
      () => undefined,
    )
    .finally(() => {
      running = null;
      publish({ sending: false });
    });
  return run;
}

/** After a new sign-in the queue may be sent again. */
export function clearNeedsSignIn(): void {
  publish({ needsSignIn: false });
}
