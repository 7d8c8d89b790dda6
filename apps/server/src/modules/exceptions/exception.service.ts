import type { ExceptionListQuery, ExceptionRaise, ExceptionUpdate, FloorException } from '@takt/contracts';
import { raiseAlert } from '../../platform/alerts.ts';
import { recordAudit } from '../../platform/audit.ts';
import { can } from '../../platform/auth/roles.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { FloorExceptionsTable } from '../../platform/db/schema-exceptions.ts';
import { AppError, invalidField, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { localDay, nextInSequence } from '../../platform/sequences.ts';
import { changeMachineStatus } from '../workcenters/machine.service.ts';

type Affected = { type: string; id: string; code: string };

const SEVERITY = {
  breakdown: 'critical',
  shortage: 'critical',
  quality: 'warning',
  tooling: 'warning',
} as const;
const TITLE = {
  breakdown: '设备故障 Machine breakdown',
  shortage: '缺料 Material shortage',
  quality: '质量问题 Quality problem',
  tooling: '工装问题 Tooling problem',
} as const;

export function toException(r: FloorExceptionsTable): FloorException {
  return {
    id: r.id,
    code: r.code,
    kind: r.kind,
    state: r.state,
    machineId: r.machine_id,
    itemId: r.item_id,
    workOrderId: r.work_order_id,
    operationId: r.operation_id,
    note: r.note,
    hasPhoto: r.photo !== null,
    affected: JSON.parse(r.affected) as Affected[],
    raisedBy: r.raised_by,
    owner: r.owner,
    raisedAt: r.raised_at,
    acknowledgedAt: r.acknowledged_at,
    resolvedAt: r.resolved_at,
    resolution: r.resolution,
    minutesToResolve: r.resolved_at
      ? Math.round((Date.parse(r.resolved_at) - Date.parse(r.raised_at)) / 60_000)
      : null,
    version: r.version,
  };
}

const field = (f: string, message: string) =>
  invalidField(f, message, { detail: `${f.slice(1)} ${message}` });

/** What the exception touches: operations on a broken machine, open work orders short of an item. */
async function affectedBy(
  tx: Tx,
  kind: FloorExceptionsTable['kind'],
  machineId: string | null,
  itemId: string | null,
): Promise<Affected[]> {
  if (kind === 'breakdown' && machineId) {
    const ops = await tx
      .selectFrom('work_order_operations as o')
      .innerJoin('work_orders as w', 'w.id', 'o.work_order_id')
      .select(['o.id', 'w.code', 'o.seq'])
      .where('o.machine_id', '=', machineId)
      .where('o.status', 'in', ['dispatched', 'dispatch_failed', 'in_progress', 'paused'])
      .execute();
    return ops.map((o) => ({ type: 'operation', id: o.id, code: `${o.code}/${o.seq}` }));
  }
  if (kind === 'shortage' && itemId) {
    const wos = await tx
      .selectFrom('work_order_materials as m')
      .innerJoin('work_orders as w', 'w.id', 'm.work_order_id')
      .select(['w.id', 'w.code'])
      .distinct()
      .where('m.item_id', '=', itemId)
      .where('w.status', 'in', ['draft', 'released', 'dispatched', 'in_progress', 'paused'])
      .whereRef('m.qty_issued', '<', 'm.qty_required')
      .execute();
    return wos.map((w) => ({ type: 'work_order', id: w.id, code: w.code }));
  }
  return [];
}

/**
 * One tap on the floor: the exception is recorded with what it affects, an alert goes out, and a
 * breakdown marks the machine down (which makes the machine-down reaction take its work off it).
 */
export async function raiseException(db: Db, ctx: Ctx, input: ExceptionRaise): Promise<FloorException> {
  const row = await db.transaction(async (tx) => {
    let machineId = input.machineId ?? null;
    let workOrderId = input.workOrderId ?? null;
    if (input.operationId) {
      const op = await tx
        .selectFrom('work_order_operations')
        .select(['machine_id', 'work_order_id'])
        .where('id', '=', input.operationId)
        .executeTakeFirst();
      if (!op) throw field('/operationId', 'is not a known operation');
      machineId ??= op.machine_id;
      workOrderId ??= op.work_order_id;
    }
    if (
      machineId &&
      !(await tx.selectFrom('machines').select('id').where('id', '=', machineId).executeTakeFirst())
    )
      throw field('/machineId', 'is not a known machine');
    if (
      input.itemId &&
      !(await tx.selectFrom('items').select('id').where('id', '=', input.itemId).executeTakeFirst())
    )
      throw field('/itemId', 'is not a known item');
    if (
      workOrderId &&
      !(await tx.selectFrom('work_orders').select('id').where('id', '=', workOrderId).executeTakeFirst())
    )
      throw field('/workOrderId', 'is not a known work order');
    if (input.kind === 'breakdown' && !machineId)
      throw field('/machineId', 'is required for a breakdown (or an operation on the machine)');
    if (input.kind === 'shortage' && !input.itemId)
      throw field('/itemId', 'is required for a material shortage');
    const day = localDay();
    const n = await nextInSequence(tx, 'EX', day);
    const r: FloorExceptionsTable = {
      id: newId(),
      code: `EX-${day.slice(2).replaceAll('-', '')}-${String(n).padStart(4, '0')}`,
      kind: input.kind,
      state: 'open',
      machine_id: machineId,
      item_id: input.itemId ?? null,
      work_order_id: workOrderId,
      operation_id: input.operationId ?? null,
      note: input.note?.trim() ?? '',
      photo: input.photo ?? null,
      affected: JSON.stringify(await affectedBy(tx, input.kind, machineId, input.itemId ?? null)),
      raised_by: ctx.actor.login,
      owner: null,
      raised_at: nowIso(),
      acknowledged_at: null,
      resolved_at: null,
      resolution: null,
      version: 1,
    };
    await tx.insertInto('floor_exceptions').values(r).execute();
    const { photo: _photo, ...audited } = r;
    await recordAudit(tx, ctx, {
      entityType: 'exception',
      entityId: r.id,
      action: 'raise',
      before: null,
      after: audited,
    });
    const out = toException(r);
    await appendEvent(tx, ctx, {
      type: 'exception.raised',
      aggregateType: 'exception',
      aggregateId: r.id,
      data: out,
    });
    await raiseAlert(tx, ctx, {
      severity: SEVERITY[input.kind],
      kind: `exception.${input.kind}`,
      title: `${TITLE[input.kind]} ${r.code}`,
      detail: [r.note, out.affected.length ? `affects ${out.affected.map((a) => a.code).join(', ')}` : '']
        .filter(Boolean)
        .join(' — '),
      entityType: 'exception',
      entityId: r.id,
      dedupeKey: `exception:${r.id}`,
    });
    return r;
  });
  if (row.kind === 'breakdown' && row.machine_id)
    await setMachine(db, ctx, row.machine_id, 'down', `${row.code} ${row.note}`.trim());
  return toException(row);
}

async function setMachine(db: Db, ctx: Ctx, machineId: string, status: 'up' | 'down', reason: string) {
  const m = await db.kysely
    .selectFrom('machines')
    .select(['version', 'status'])
    .where('id', '=', machineId)
    .executeTakeFirstOrThrow();
  if (m.status === status) return;
  await changeMachineStatus(db, ctx, machineId, { version: m.version, status, reason });
}

export async function updateException(
  db: Db,
  ctx: Ctx,
  id: string,
  input: ExceptionUpdate,
): Promise<FloorException> {
  const after = await db.transaction(async (tx) => {
    const before = await tx
      .selectFrom('floor_exceptions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!before) throw notFound('Exception', id);
    if (before.version !== input.version)
      throw new AppError('STALE_VERSION', `Exception ${before.code} was changed by someone else`, {
        extra: { currentVersion: before.version },
      });
    if (before.state === 'resolved')
      throw new AppError('INVALID_STATE', `Exception ${before.code} is already resolved`);
    const now = nowIso();
    const changes: Partial<FloorExceptionsTable> = { version: before.version + 1 };
    if (input.action === 'acknowledge')
      Object.assign(changes, {
        state: 'acknowledged',
        acknowledged_at: before.acknowledged_at ?? now,
        // Whoever acknowledges takes the exception on, if they may handle it (a manager only sees it).
        owner:
          input.owner ??
          before.owner ??
          (can(ctx.actor.permissions, 'production:update') ? ctx.actor.login : null),
      });
    if (input.action === 'assign') {
      if (!input.owner) throw field('/owner', 'is required to assign');
      changes.owner = input.owner;
    }
    if (input.action === 'resolve') {
      if (!input.resolution?.trim()) throw field('/resolution', 'is required to resolve');
      Object.assign(changes, {
        state: 'resolved',
        resolved_at: now,
        resolution: input.resolution.trim(),
        acknowledged_at: before.acknowledged_at ?? now,
        owner: before.owner ?? ctx.actor.login,
      });
    }
    const row = await tx
      .updateTable('floor_exceptions')
      .set(changes)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const { photo: _a, ...b } = before;
    const { photo: _b, ...a } = row;
    await recordAudit(tx, ctx, {
      entityType: 'exception',
      entityId: id,
      action: input.action,
      before: b,
      after: a,
    });
    await appendEvent(tx, ctx, {
      type: `exception.${input.action === 'resolve' ? 'resolved' : 'updated'}`,
      aggregateType: 'exception',
      aggregateId: id,
      data: toException(row),
    });
    return row;
  });
  if (input.action === 'resolve' && after.kind === 'breakdown' && after.machine_id) {
    const otherOpen = await db.kysely
      .selectFrom('floor_exceptions')
      .select('id')
      .where('machine_id', '=', after.machine_id)
      .where('kind', '=', 'breakdown')
      .where('state', '<>', 'resolved')
      .executeTakeFirst();
    if (!otherOpen) await setMachine(db, ctx, after.machine_id, 'up', `${after.code} resolved`);
  }
  return toException(after);
}

export async function listExceptions(db: Db, q: ExceptionListQuery): Promise<FloorException[]> {
  let query = db.kysely
    .selectFrom('floor_exceptions')
    .selectAll()
    .orderBy('raised_at', 'desc')
    .limit(q.limit ?? 100);
  if (q.state) query = query.where('state', '=', q.state);
  if (q.kind) query = query.where('kind', '=', q.kind);
  if (q.machineId) query = query.where('machine_id', '=', q.machineId);
  return (await query.execute()).map(toException);
}

export async function exceptionPhoto(db: Db, id: string): Promise<{ type: string; data: Buffer }> {
  const r = await db.kysely
    .selectFrom('floor_exceptions')
    .select('photo')
    .where('id', '=', id)
    .executeTakeFirst();
  const m = r?.photo ? /^data:(image\/[a-z]+);base64,(.*)$/s.exec(r.photo) : null;
  if (!m) throw notFound('Photo of exception', id);
  return { type: m[1]!, data: Buffer.from(m[2]!, 'base64') };
}
