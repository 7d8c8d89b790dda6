import type {
  ConvertQuery,
  ConvertResult,
  Item,
  ItemCreate,
  ItemListQuery,
  ItemUpdate,
  NearDuplicateQuery,
  NearDuplicates,
  PageOf,
  Warning,
} from '@takt/contracts';
import { nearDuplicateKey } from '@takt/domain';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { Database, ItemsTable } from '../../platform/db/schema.ts';
import { invalidField, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { parseMoneyField, parseQtyField } from '../../platform/units.ts';
import { applyRule, loadRule } from '../masterdata/code-rule.service.ts';
import { checkCustomFields } from '../masterdata/custom-fields.service.ts';
import { guardedWrite, historyOf, recordChange, staleVersion, updateAction } from '../masterdata/mutation.ts';
import { assertActiveWarehouse } from '../warehouses/warehouse.service.ts';
import { checkConversions, convert, unitName } from './item-uom.ts';
import * as repo from './item.repo.ts';
import { cacheOf } from '../../platform/cache/cache.ts';
import { toItem } from './item-dto.ts';

export { toItem } from './item-dto.ts';

function nonNegativeQty(field: string, text: string): number {
  const value = parseQtyField(field, text);
  if (value < 0) throw invalidField(field, 'must not be negative');
  return value;
}

/** Field changes shared by create and update (everything except code, version and active). */
function fieldChanges(input: Omit<ItemUpdate, 'version' | 'code' | 'active'>): Partial<ItemsTable> {
  const c: Partial<ItemsTable> = {};
  if (input.name !== undefined) c.name = input.name.trim();
  if (input.spec !== undefined) c.spec = input.spec.trim();
  if (input.type !== undefined) c.type = input.type;
  if (input.uom !== undefined) c.uom = unitName(input.uom);
  if (input.safetyStock !== undefined) c.safety_stock = nonNegativeQty('/safetyStock', input.safetyStock);
  if (input.standardCost !== undefined)
    c.standard_cost = parseMoneyField('/standardCost', input.standardCost);
  if (input.tracking !== undefined) c.tracking = input.tracking;
  if (input.defaultWarehouseId !== undefined) c.default_warehouse_id = input.defaultWarehouseId;
  if (input.purchaseLeadDays !== undefined) c.purchase_lead_days = input.purchaseLeadDays;
  if (input.productionLeadDays !== undefined) c.production_lead_days = input.productionLeadDays;
  if (input.minOrderQty !== undefined) c.min_order_qty = nonNegativeQty('/minOrderQty', input.minOrderQty);
  if (input.orderMultiple !== undefined)
    c.order_multiple = nonNegativeQty('/orderMultiple', input.orderMultiple);
  return c;
}

async function duplicateWarning(tx: Tx, row: ItemsTable): Promise<Warning[]> {
  const similar = await repo.nearDuplicates(tx, row.dup_key, row.id);
  if (similar.length === 0) return [];
  const codes = similar.map((s) => s.code);
  return [
    {
      code: 'NEAR_DUPLICATE',
      message: `Items with the same name and specification already exist: ${codes.join(', ')}`,
      duplicates: codes,
    },
  ];
}

export async function createItem(db: Db, ctx: Ctx, input: ItemCreate): Promise<Item> {
  const code = applyRule(await loadRule(db.kysely, 'items'), input.code);
  const now = nowIso();
  const row: ItemsTable = {
    id: newId(),
    code,
    name: '',
    spec: '',
    type: input.type,
    uom: '',
    safety_stock: 0,
    standard_cost: 0,
    tracking: 'none',
    default_warehouse_id: null,
    purchase_lead_days: 0,
    production_lead_days: 0,
    min_order_qty: 0,
    order_multiple: 0,
    dup_key: '',
    active: 1,
    version: 1,
    created_at: now,
    updated_at: now,
    ...fieldChanges(input),
  };
  row.dup_key = nearDuplicateKey(row.name, row.spec);
  row.custom_fields = await checkCustomFields(db.kysely, 'items', input.customFields, null);
  const conversions = checkConversions(row.uom, input.conversions ?? []);
  return guardedWrite(
    'Item',
    () => code,
    () =>
      db.transaction(async (tx) => {
        if (row.default_warehouse_id)
          await assertActiveWarehouse(tx, row.default_warehouse_id, '/defaultWarehouseId');
        await repo.insertItem(tx, row);
        await repo.replaceConversions(tx, row.id, conversions, 'created');
        const item = toItem(row, conversions);
        await recordChange(tx, ctx, {
          entity: 'item',
          id: row.id,
          action: 'create',
          before: null,
          after: { ...row, conversions },
          data: item,
        });
        const warnings = await duplicateWarning(tx, row);
        return warnings.length > 0 ? { ...item, warnings } : item;
      }),
  );
}

export async function getItem(db: Db, id: string): Promise<Item> {
  const item = await cacheOf(db).get(db, 'items', id, async () => {
    const row = await repo.findItem(db.kysely, id);
    return row ? toItem(row, (await repo.conversionsOf(db.kysely, [id])).get(id)) : null;
  });
  if (!item) throw notFound('Item', id);
  return item;
}

export async function updateItem(db: Db, ctx: Ctx, id: string, input: ItemUpdate): Promise<Item> {
  const changes: Partial<ItemsTable> = { ...fieldChanges(input), updated_at: nowIso() };
  if (input.code !== undefined) changes.code = applyRule(await loadRule(db.kysely, 'items'), input.code);
  if (input.active !== undefined) changes.active = input.active ? 1 : 0;
  let code = changes.code ?? id;
  return guardedWrite(
    'Item',
    () => code,
    () =>
      db.transaction(async (tx) => {
        const before = await repo.findItem(tx, id);
        if (!before) throw notFound('Item', id);
        code = changes.code ?? before.code;
        const oldConversions = (await repo.conversionsOf(tx, [id])).get(id) ?? [];
        const uom = changes.uom ?? before.uom;
        const conversions =
          input.conversions !== undefined || uom !== before.uom
            ? checkConversions(uom, input.conversions ?? oldConversions)
            : oldConversions;
        if (changes.name !== undefined || changes.spec !== undefined) {
          changes.dup_key = nearDuplicateKey(changes.name ?? before.name, changes.spec ?? before.spec);
        }
        if (input.customFields !== undefined) {
          changes.custom_fields = await checkCustomFields(
            tx,
            'items',
            input.customFields,
            before.custom_fields,
          );
        }
        if (changes.default_warehouse_id && changes.default_warehouse_id !== before.default_warehouse_id) {
          await assertActiveWarehouse(tx, changes.default_warehouse_id, '/defaultWarehouseId');
        }
        const after = await repo.updateItem(tx, id, input.version, changes);
        if (!after) throw staleVersion('Item', before.code, before.version);
        if (input.conversions !== undefined) await repo.replaceConversions(tx, id, conversions);
        const item = toItem(after, conversions);
        await recordChange(tx, ctx, {
          entity: 'item',
          id,
          action: updateAction(before, input.active),
          before: { ...before, conversions: oldConversions },
          after: { ...after, conversions },
          data: item,
        });
        const warnings = changes.dup_key !== undefined ? await duplicateWarning(tx, after) : [];
        return warnings.length > 0 ? { ...item, warnings } : item;
      }),
  );
}

/** Hard delete, only for an item nothing refers to; otherwise deactivate it. */
export async function deleteItem(db: Db, ctx: Ctx, id: string): Promise<void> {
  let code = id;
  await guardedWrite(
    'Item',
    () => code,
    () =>
      db.transaction(async (tx) => {
        const before = await repo.findItem(tx, id);
        if (!before) throw notFound('Item', id);
        code = before.code;
        await repo.deleteItem(tx, id);
        await recordChange(tx, ctx, {
          entity: 'item',
          id,
          action: 'delete',
          before,
          after: null,
          data: { id, code },
        });
      }),
  );
}

export async function listItems(db: Db, query: ItemListQuery): Promise<PageOf<Item>> {
  const { rows, nextCursor } = await repo.listItems(db.kysely, db.dialect, query);
  const conversions = await repo.conversionsOf(
    db.kysely,
    rows.map((r) => r.id),
  );
  return { items: rows.map((r) => toItem(r, conversions.get(r.id))), nextCursor };
}

/** Items the caller can refer to (for other modules: supplier items, tools). */
export async function itemsByIds(db: Kysely<Database> | Tx, ids: readonly string[]): Promise<ItemsTable[]> {
  return repo.findItems(db, [...new Set(ids)]);
}

export async function convertItemQty(db: Db, id: string, query: ConvertQuery): Promise<ConvertResult> {
  const item = await getItem(db, id);
  return convert(item, query);
}

export async function findNearDuplicates(db: Db, query: NearDuplicateQuery): Promise<NearDuplicates> {
  const key = nearDuplicateKey(query.name, query.spec ?? '');
  return { key, items: await repo.nearDuplicates(db.kysely, key, query.excludeId) };
}

export const itemHistory = (db: Db, id: string, page: { limit?: number; cursor?: string }) =>
  historyOf(db, 'item', id, page);
