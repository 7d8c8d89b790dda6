import type { ToolListQuery } from '@takt/contracts';
import type { Kysely } from 'kysely';
import type { Dialect, Tx } from '../../platform/db/database.ts';
import type { Database, ToolsTable } from '../../platform/db/schema.ts';
import { containsText, runPage } from '../masterdata/list.ts';
import { versionedRepo } from '../masterdata/versioned-table.ts';

type Q = Kysely<Database> | Tx;

export const tools = versionedRepo('tools');

export async function listTools(db: Q, dialect: Dialect, query: ToolListQuery) {
  let q = db.selectFrom('tools').selectAll();
  if (query.q) q = q.where(containsText(dialect, query.q, ['code', 'name']));
  if (query.kind) q = q.where('kind', '=', query.kind);
  if (query.setupFamily) q = q.where('setup_family', '=', query.setupFamily);
  if (query.active !== undefined) q = q.where('active', '=', query.active ? 1 : 0);
  if (query.itemId) {
    const itemId = query.itemId;
    q = q.where('id', 'in', (eb) =>
      eb.selectFrom('tool_items').select('tool_id').where('item_id', '=', itemId),
    );
  }
  return runPage(q, query);
}

export async function fitsOf(db: Q, toolIds: readonly string[]) {
  if (toolIds.length === 0) return { items: [], machines: [] };
  const items = await db.selectFrom('tool_items').selectAll().where('tool_id', 'in', toolIds).execute();
  const machines = await db
    .selectFrom('tool_machines')
    .selectAll()
    .where('tool_id', 'in', toolIds)
    .orderBy('machine_code')
    .execute();
  return { items, machines };
}

export async function replaceFits(
  tx: Tx,
  toolId: string,
  itemIds: readonly string[] | undefined,
  machineCodes: readonly string[] | undefined,
): Promise<void> {
  if (itemIds) {
    await tx.deleteFrom('tool_items').where('tool_id', '=', toolId).execute();
    if (itemIds.length > 0) {
      await tx
        .insertInto('tool_items')
        .values(itemIds.map((item_id) => ({ tool_id: toolId, item_id })))
        .execute();
    }
  }
  if (machineCodes) {
    await tx.deleteFrom('tool_machines').where('tool_id', '=', toolId).execute();
    if (machineCodes.length > 0) {
      await tx
        .insertInto('tool_machines')
        .values(machineCodes.map((machine_code) => ({ tool_id: toolId, machine_code })))
        .execute();
    }
  }
}

/** Adds to the usage counter in one statement, so concurrent reports are never lost. */
export async function addUsage(
  tx: Tx,
  id: string,
  count: number,
  reset: boolean,
  now: string,
): Promise<ToolsTable | undefined> {
  return tx
    .updateTable('tools')
    .set((eb) => ({
      usage_count: reset ? count : eb('usage_count', '+', count),
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}
