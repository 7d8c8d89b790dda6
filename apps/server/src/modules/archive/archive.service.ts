import { setImmediate as yieldTurn } from 'node:timers/promises';
import { type RawBuilder, sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db, Tx } from '../../platform/db/database.ts';

/** Hot tables with an `<name>_archive` twin (migration 0026). */
const ARCHIVED_TABLES = [
  'work_orders',
  'work_order_materials',
  'work_order_operations',
  'work_order_history',
  'operation_reports',
  'operation_report_lots',
  'inspections',
  'inspection_characteristics',
  'schedule_assignments',
  'stock_moves',
] as const;

type ArchivedTable = (typeof ARCHIVED_TABLES)[number];

/** Work orders in these states never change again and may move to the archive. */
export const FINAL_STATES = ['closed', 'cancelled'] as const;

export interface ArchiveOptions {
  /** Rows closed (work orders) or made (stock moves) longer ago than this move. */
  readonly afterDays: number;
  /** Order trees per transaction. */
  readonly batchOrders?: number;
  /** Stock moves per transaction. */
  readonly batchMoves?: number;
  /** Transactions per run at most, so a first run on years of history leaves room for other work. */
  readonly maxBatches?: number;
  /** Work orders read per final state and step while looking for order trees to move. */
  readonly scanStep?: number;
  readonly now?: Date;
  readonly log?: Logger;
}

export interface ArchiveResult {
  readonly workOrders: number;
  readonly stockMoves: number;
  readonly batches: number;
  /** Order trees left in place because a row outside the archive refers to them. */
  readonly skippedTrees: number;
}

async function columnsOf(db: Db, table: string): Promise<Map<string, string>> {
  if (db.dialect === 'postgres') {
    const r = await sql<{ column_name: string; data_type: string }>`
      select column_name, data_type from information_schema.columns
      where table_schema = current_schema() and table_name = ${table}`.execute(db.kysely);
    return new Map(r.rows.map((c) => [c.column_name, c.data_type]));
  }
  const r = await sql<{
    name: string;
    type: string;
  }>`select name, type from pragma_table_info(${table})`.execute(db.kysely);
  return new Map(r.rows.map((c) => [c.name, c.type || 'text']));
}

/**
 * The columns copied for each table. A column added to a hot table after the archive was created is
 * added to its archive (nullable) first, so archiving never drops a value.
 */
async function copyColumns(db: Db): Promise<Map<ArchivedTable, string[]>> {
  const out = new Map<ArchivedTable, string[]>();
  for (const table of ARCHIVED_TABLES) {
    const hot = await columnsOf(db, table);
    const archive = await columnsOf(db, `${table}_archive`);
    for (const [name, type] of hot) {
      if (archive.has(name)) continue;
      const safeType = /^[a-z ]+$/i.test(type) ? type : 'text';
      await sql`alter table ${sql.table(`${table}_archive`)} add column ${sql.ref(name)} ${sql.raw(safeType)}`.execute(
        db.kysely,
      );
    }
    out.set(table, [...hot.keys()]);
  }
  return out;
}

/** Copies the rows of `table` matching `where` into its archive, then deletes them; returns how many. */
async function move(
  tx: Tx,
  columns: Map<ArchivedTable, string[]>,
  table: ArchivedTable,
  where: RawBuilder<unknown>,
  at: string,
): Promise<number> {
  const cols = sql.join((columns.get(table) ?? []).map((c) => sql.ref(c)));
  const copied = await sql`insert into ${sql.table(`${table}_archive`)} (${cols}, archived_at)
    select ${cols}, ${at} from ${sql.table(table)} where ${where}`.execute(tx);
  const deleted = await sql`delete from ${sql.table(table)} where ${where}`.execute(tx);
  const n = Number(deleted.numAffectedRows ?? 0n);
  if (Number(copied.numAffectedRows ?? 0n) !== n) {
    throw new Error(`archive of ${table} copied ${copied.numAffectedRows} rows but deleted ${n}`);
  }
  return n;
}

function inList(values: readonly string[]): RawBuilder<unknown> {
  return sql`(${sql.join(values.map((v) => sql`${v}`))})`;
}

/** Moves whole order trees (a root and its children) in one transaction; returns work orders moved. */
async function archiveTrees(
  db: Db,
  columns: Map<ArchivedTable, string[]>,
  roots: readonly string[],
  at: string,
): Promise<number> {
  return db.transaction(async (tx) => {
    // The trees' orders by their roots, both through an index (`coalesce(root_id, id)` is through none).
    const trees = inList(roots);
    const orders = await sql<{ id: string }>`select id from work_orders
      where id in ${trees} or root_id in ${trees}`.execute(tx);
    if (orders.rows.length === 0) return 0;
    const wo = inList(orders.rows.map((r) => r.id));
    const ops = sql`select id from work_order_operations where work_order_id in ${wo}`;
    const reports = sql`select id from operation_reports where operation_id in (${ops})`;
    const inspections = sql`select id from inspections where work_order_id in ${wo}`;
    await move(tx, columns, 'operation_report_lots', sql`report_id in (${reports})`, at);
    await move(tx, columns, 'inspection_characteristics', sql`inspection_id in (${inspections})`, at);
    await move(tx, columns, 'inspections', sql`work_order_id in ${wo}`, at);
    await move(tx, columns, 'schedule_assignments', sql`operation_id in (${ops})`, at);
    await move(tx, columns, 'operation_reports', sql`operation_id in (${ops})`, at);
    await move(tx, columns, 'work_order_history', sql`work_order_id in ${wo}`, at);
    await move(tx, columns, 'work_order_operations', sql`work_order_id in ${wo}`, at);
    await move(tx, columns, 'work_order_materials', sql`work_order_id in ${wo}`, at);
    return move(tx, columns, 'work_orders', sql`id in ${wo}`, at);
  });
}

/** Work orders in a final state read per status and step (an index walk on `work_orders_status_id`). */
const SCAN_STEP = 500;

/**
 * Where the search for archivable order trees stands in one run: per final state, the last work
 * order id read (keyset), or null once that state is read to its end.
 */
type RootScan = Map<(typeof FINAL_STATES)[number], string | null | undefined>;

/**
 * Up to `limit` order trees whose every work order reached a final state before `cutoff` and that
 * nothing outside the archive refers to (floor exceptions, schedule pins), and whether the scan has
 * more to read. Each call reads on from where the last stopped, a step of work orders per final
 * state by index, and checks only the trees they belong to: its cost follows the step, not the
 * table (a plant with a million work orders spent seconds per call grouping all of them).
 */
async function archivableRoots(
  db: Db,
  cutoff: string,
  scan: RootScan,
  limit: number,
  step: number,
): Promise<{ roots: string[]; more: boolean }> {
  const found: string[] = [];
  for (;;) {
    const candidates = new Set<string>();
    let read = false;
    for (const status of FINAL_STATES) {
      const after = scan.get(status);
      if (after === null) continue;
      read = true;
      let q = db.kysely
        .selectFrom('work_orders')
        .select(['id', 'root_id', 'updated_at'])
        .where('status', '=', status)
        .orderBy('id')
        .limit(step);
      if (after !== undefined) q = q.where('id', '>', after);
      const rows = await q.execute();
      scan.set(status, rows.length < step ? null : rows.at(-1)!.id);
      for (const r of rows) if (r.updated_at < cutoff) candidates.add(r.root_id ?? r.id);
    }
    if (candidates.size > 0) found.push(...(await wholeTreesDue(db, [...candidates], cutoff)));
    if (!read || found.length >= limit) return { roots: found, more: read };
    // Steps that find nothing due (years of recent orders) still leave requests their turns.
    await yieldTurn();
  }
}

/** Of these order trees, those whose every order is final since before `cutoff` and unreferenced. */
async function wholeTreesDue(db: Db, roots: readonly string[], cutoff: string): Promise<string[]> {
  const final = inList(FINAL_STATES);
  const ids = inList(roots);
  const r = await sql<{ root: string }>`
    select coalesce(w.root_id, w.id) as root
    from work_orders w
    where (w.id in ${ids} or w.root_id in ${ids})
      and coalesce(w.root_id, w.id) not in (
        select coalesce(b.root_id, b.id) from work_orders b
        where (b.id in ${ids} or b.root_id in ${ids})
          and (exists (select 1 from floor_exceptions e where e.work_order_id = b.id)
            or exists (
              select 1 from work_order_operations o
              where o.work_order_id = b.id
                and (exists (select 1 from floor_exceptions e where e.operation_id = o.id)
                  or exists (select 1 from schedule_pins p where p.operation_id = o.id))
            ))
      )
    group by coalesce(w.root_id, w.id)
    having count(*) = count(case when w.status in ${final} and w.updated_at < ${cutoff} then 1 end)
    order by 1`.execute(db.kysely);
  return r.rows.map((x) => x.root);
}

/**
 * Moves work orders closed or cancelled longer than `afterDays` ago — whole order trees, with their
 * operations, materials, history, floor reports, inspections and schedule assignments — and stock
 * moves older than that into the archive tables, in batches of one transaction each (copy and delete
 * together, so a crash leaves every row in exactly one place). Stock balances stay as they are; the
 * ledger checks read moves through `stock_moves_all`. Running it again moves only what is newly due.
 */
export async function archiveOld(db: Db, options: ArchiveOptions): Promise<ArchiveResult> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.afterDays * 86_400_000).toISOString();
  const at = now.toISOString();
  const batchOrders = options.batchOrders ?? 50;
  const batchMoves = options.batchMoves ?? 2000;
  const maxBatches = options.maxBatches ?? 500;
  const columns = await copyColumns(db);
  let batches = 0;
  let workOrders = 0;
  let stockMoves = 0;
  const skipped = new Set<string>();
  const scan: RootScan = new Map();
  let due: string[] = [];
  let more = true;

  while (batches < maxBatches) {
    if (due.length < batchOrders && more) {
      const next = await archivableRoots(
        db,
        cutoff,
        scan,
        batchOrders - due.length,
        options.scanStep ?? SCAN_STEP,
      );
      // A tree can turn up twice (its orders in both final states): it is archived once.
      due = [...new Set([...due, ...next.roots])].filter((root) => !skipped.has(root));
      more = next.more;
    }
    if (due.length === 0) break;
    // Requests go first between two batches: a run on years of history takes minutes.
    await yieldTurn();
    const roots = due.slice(0, batchOrders);
    due = due.slice(batchOrders);
    batches++;
    try {
      workOrders += await archiveTrees(db, columns, roots, at);
    } catch {
      // A row this archiver does not know refers to one of the trees: move them one by one and leave
      // the ones that cannot move.
      for (const root of roots) {
        try {
          workOrders += await archiveTrees(db, columns, [root], at);
        } catch (single) {
          skipped.add(root);
          options.log?.warn({ err: single, root }, 'order tree left in place: still referenced');
        }
      }
    }
  }

  while (batches < maxBatches) {
    const ids = await db.kysely
      .selectFrom('stock_moves')
      .select('id')
      .where('created_at', '<', cutoff)
      .orderBy('seq')
      .limit(batchMoves)
      .execute();
    if (ids.length === 0) break;
    batches++;
    await yieldTurn();
    stockMoves += await db.transaction((tx) =>
      move(tx, columns, 'stock_moves', sql`id in ${inList(ids.map((r) => r.id))}`, at),
    );
  }
  return { workOrders, stockMoves, batches, skippedTrees: skipped.size };
}
