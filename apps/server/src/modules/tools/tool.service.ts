import type {
  PageOf,
  Tool,
  ToolCreate,
  ToolListQuery,
  ToolUpdate,
  ToolUsage,
  Warning,
} from '@takt/contracts';
import { normaliseText } from '@takt/domain';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { Database, ToolsTable } from '../../platform/db/schema.ts';
import { invalidField, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { itemsByIds } from '../items/item.service.ts';
import { checkCode } from '../masterdata/code-rule.service.ts';
import { createRecord, deleteRecord, getRecord, type RecordSpec, updateRecord } from '../masterdata/crud.ts';
import { recordChange } from '../masterdata/mutation.ts';
import * as repo from './tool.repo.ts';

/**
 * Tools, molds and fixtures: how many are available, the setup family (jobs in one family share a
 * setup), a usage counter against a maintenance limit, and which items and machines they fit.
 * Machines are named by code until the machine module links them.
 */
type Q = Kysely<Database> | Tx;

/** Warn from this share of the maintenance limit on. */
export const MAINTENANCE_WARNING_RATIO = 0.9;

async function toTools(db: Q, rows: readonly ToolsTable[]): Promise<Tool[]> {
  const fits = await repo.fitsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind as Tool['kind'],
    qtyAvailable: r.qty_available,
    setupFamily: r.setup_family,
    usageCount: r.usage_count,
    usageLimit: r.usage_limit,
    itemIds: fits.items.filter((f) => f.tool_id === r.id).map((f) => f.item_id),
    machineCodes: fits.machines.filter((f) => f.tool_id === r.id).map((f) => f.machine_code),
    active: r.active === 1,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

export const toolSpec: RecordSpec<ToolsTable, Tool> = {
  entity: 'tool',
  label: 'Tool',
  repo: repo.tools,
  async dto(db, row) {
    return (await toTools(db, [row]))[0]!;
  },
};

async function checkItems(tx: Tx, itemIds: readonly string[] | undefined): Promise<string[] | undefined> {
  if (!itemIds) return undefined;
  const unique = [...new Set(itemIds)];
  const known = new Set((await itemsByIds(tx, unique)).map((i) => i.id));
  unique.forEach((id, i) => {
    if (!known.has(id)) throw invalidField(`/itemIds/${i}`, `Item ${id} does not exist`, 'not_found');
  });
  return unique;
}

const machineCodes = (codes: readonly string[] | undefined) =>
  codes
    ? [...new Set(codes.map((c) => normaliseText(c, { upperCase: true, whitespace: 'remove' })))]
    : undefined;

export async function createTool(db: Db, ctx: Ctx, input: ToolCreate): Promise<Tool> {
  const now = nowIso();
  const row: ToolsTable = {
    id: newId(),
    code: await checkCode(db.kysely, 'tools', input.code),
    name: input.name.trim(),
    kind: input.kind,
    qty_available: input.qtyAvailable ?? 1,
    setup_family: (input.setupFamily ?? '').trim(),
    usage_count: 0,
    usage_limit: input.usageLimit ?? null,
    active: 1,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  return createRecord(db, ctx, toolSpec, row, {
    children: async (tx) =>
      repo.replaceFits(tx, row.id, await checkItems(tx, input.itemIds), machineCodes(input.machineCodes)),
  });
}

export async function updateTool(db: Db, ctx: Ctx, id: string, input: ToolUpdate): Promise<Tool> {
  const c: Partial<ToolsTable> = { updated_at: nowIso() };
  if (input.code !== undefined) c.code = await checkCode(db.kysely, 'tools', input.code);
  if (input.name !== undefined) c.name = input.name.trim();
  if (input.kind !== undefined) c.kind = input.kind;
  if (input.qtyAvailable !== undefined) c.qty_available = input.qtyAvailable;
  if (input.setupFamily !== undefined) c.setup_family = input.setupFamily.trim();
  if (input.usageLimit !== undefined) c.usage_limit = input.usageLimit;
  return updateRecord(db, ctx, toolSpec, id, input, c, {
    children: async (tx) =>
      repo.replaceFits(tx, id, await checkItems(tx, input.itemIds), machineCodes(input.machineCodes)),
  });
}

export const getTool = (db: Db, id: string) => getRecord(db, toolSpec, id);
export const deleteTool = (db: Db, ctx: Ctx, id: string) => deleteRecord(db, ctx, toolSpec, id);

export async function listTools(db: Db, query: ToolListQuery): Promise<PageOf<Tool>> {
  const { rows, nextCursor } = await repo.listTools(db.kysely, db.dialect, query);
  return { items: await toTools(db.kysely, rows), nextCursor };
}

/** MAINTENANCE_DUE once the counter reaches 90 % of the limit. */
export function maintenanceWarnings(tool: Pick<Tool, 'code' | 'usageCount' | 'usageLimit'>): Warning[] {
  const { usageCount: used, usageLimit: limit } = tool;
  if (limit === null || used < limit * MAINTENANCE_WARNING_RATIO) return [];
  const state = used >= limit ? 'has reached its maintenance limit' : 'is close to its maintenance limit';
  return [
    {
      code: 'MAINTENANCE_DUE',
      message: `${tool.code} ${state}: ${used} of ${limit} uses (${Math.floor((used * 100) / limit)} %)`,
    },
  ];
}

/** Counts usage (shots, strokes); `reset` first restarts the counter after maintenance. */
export async function recordUsage(db: Db, ctx: Ctx, id: string, input: ToolUsage): Promise<Tool> {
  return db.transaction(async (tx) => {
    const before = await repo.tools.find(tx, id);
    if (!before) throw notFound('Tool', id);
    const after = await repo.addUsage(tx, id, input.count, input.reset === true, nowIso());
    if (!after) throw notFound('Tool', id);
    const tool = (await toTools(tx, [after]))[0]!;
    await recordChange(tx, ctx, {
      entity: 'tool',
      id,
      action: input.reset ? 'maintenance' : 'usage',
      before: { usageCount: before.usage_count },
      after: { usageCount: after.usage_count },
      data: tool,
    });
    const warnings = maintenanceWarnings(tool);
    return warnings.length > 0 ? { ...tool, warnings } : tool;
  });
}
