import { runMrp } from '@takt/domain';
import { parentPort, workerData } from 'node:worker_threads';
import { Db } from '../../platform/db/database.ts';
import { newId } from '../../platform/ids.ts';
import { type GatheredPlan, gatherPlan } from './mrp.gather.ts';
import { RESULT_TABLES, type ResultTable } from './mrp.repo.ts';
import { type PlanRows, planRows } from './mrp.rules.ts';

/**
 * Gathers and nets a run on a thread of its own: on a large plant the reads and the netting take
 * seconds, which on the server's thread would stall every request meanwhile (SQLite answers
 * synchronously). On SQLite the worker reads through a connection of its own (WAL readers never block
 * the writer); otherwise it is handed what the server gathered. Nothing here writes.
 */
export interface PlanJob {
  readonly runId: string;
  readonly start: string;
  /** The SQLite database file to read from, or null when `gathered` is given. */
  readonly sqliteFile: string | null;
  readonly gathered: GatheredPlan | null;
  /** Result rows per `rows` message, each stored in one transaction. */
  readonly rowsPerSlice: number;
}

export interface PlanCounts {
  readonly items: number;
  readonly bomLines: number;
  readonly demands: number;
  readonly receipts: number;
}

/**
 * `planned` tells the outcome and how many rows each table gets; then every message the server sends
 * asks for the next slice of rows, answered with `rows` until `end`. The server pulls one slice at a
 * time, so taking the rows in never holds its thread for long (messages queued all at once would be
 * read in one go).
 */
export type PlanMessage =
  | { readonly kind: 'gathered'; readonly counts: PlanCounts; readonly ms: number }
  | {
      readonly kind: 'planned';
      readonly ok: true;
      readonly sizes: Readonly<Record<ResultTable, number>>;
      readonly summary: PlanRows['summary'];
      readonly ms: number;
    }
  | { readonly kind: 'planned'; readonly ok: false; readonly error: string; readonly ms: number }
  | { readonly kind: 'rows'; readonly table: ResultTable; readonly rows: readonly object[] }
  | { readonly kind: 'end' };

async function gatherFrom(file: string, start: string): Promise<GatheredPlan> {
  const db = Db.open({ url: null, sqliteFile: file });
  try {
    return await gatherPlan(db, start);
  } finally {
    await db.close();
  }
}

const job = workerData as PlanJob;
const post = (m: PlanMessage) => parentPort?.postMessage(m);
let t = performance.now();
const { input, offers } = job.gathered ?? (await gatherFrom(job.sqliteFile ?? '', job.start));
post({
  kind: 'gathered',
  counts: {
    items: input.items.length,
    bomLines: input.bom.length,
    demands: input.demands.length,
    receipts: input.receipts.length,
  },
  ms: performance.now() - t,
});
t = performance.now();
const result = runMrp(input);
const kinds = new Map(input.receipts.map((r) => [r.id as string, r.kind as string]));
if (result.ok) {
  const rows = planRows(job.runId, job.start, result.value, offers, newId, kinds);
  const byTable = {
    mrp_planned_orders: rows.planned,
    mrp_shortages: rows.shortages,
    mrp_actions: rows.actions,
  };
  post({
    kind: 'planned',
    ok: true,
    sizes: {
      mrp_planned_orders: rows.planned.length,
      mrp_shortages: rows.shortages.length,
      mrp_actions: rows.actions.length,
    },
    summary: rows.summary,
    ms: performance.now() - t,
  });
  let table = 0;
  let at = 0;
  parentPort?.on('message', () => {
    while (table < RESULT_TABLES.length && at >= byTable[RESULT_TABLES[table]!].length) {
      table++;
      at = 0;
    }
    const name = RESULT_TABLES[table];
    if (!name) {
      post({ kind: 'end' });
      parentPort?.close();
      return;
    }
    post({ kind: 'rows', table: name, rows: byTable[name].slice(at, at + job.rowsPerSlice) });
    at += job.rowsPerSlice;
  });
} else {
  post({ kind: 'planned', ok: false, error: `${result.code}: ${result.message}`, ms: performance.now() - t });
}
