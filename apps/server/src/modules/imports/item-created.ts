import { isSecretKey } from '../../platform/secrets.ts';

/** Rows per batch (one statement per table on PostgreSQL, where 500–1000 measured fastest). */
export const ITEM_BATCH = 1000;

/** `"key":{"to":` by key: the part of a created diff before each value. */
const diffKeys = new Map<string, string>();

/**
 * The audit diff of a created row, as diffRows(null, row) makes it (the same text), without
 * comparing field by field or building the object: one JSON text put together per row.
 */
export function createdDiff(row: Record<string, unknown>): string {
  let out = '';
  for (const k in row) {
    if (k === 'version' || k === 'updated_at') continue;
    const v = row[k];
    if (v === undefined) continue;
    let key = diffKeys.get(k);
    if (key === undefined) {
      key = `${JSON.stringify(k)}:{"to":`;
      if (diffKeys.size < 1000) diffKeys.set(k, key);
    }
    out += `${out === '' ? '{' : ','}${key}${JSON.stringify(v)}}`;
  }
  return out === '' ? '{}' : `${out}}`;
}

// createdDiff writes every field as it is; that is right only while no item field names a secret.
const ITEM_FIELDS = [
  'id',
  'code',
  'name',
  'spec',
  'type',
  'uom',
  'safety_stock',
  'standard_cost',
  'tracking',
  'default_warehouse_id',
  'purchase_lead_days',
  'production_lead_days',
  'min_order_qty',
  'order_multiple',
  'dup_key',
  'active',
  'created_at',
  'conversions',
];
if (ITEM_FIELDS.some(isSecretKey)) throw new Error('an item field names a secret: audit it with diffRows');
