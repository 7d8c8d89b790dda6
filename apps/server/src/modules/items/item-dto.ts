import type { Item, UomConversion } from '@takt/contracts';
import type { ItemsTable } from '../../platform/db/schema.ts';
import { formatMoney, formatQty } from '../../platform/units.ts';
import { customFieldsOf } from '../masterdata/custom-values.ts';

export function toItem(row: ItemsTable, conversions: UomConversion[] = []): Item {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    spec: row.spec,
    type: row.type,
    uom: row.uom,
    safetyStock: formatQty(Number(row.safety_stock)),
    standardCost: formatMoney(Number(row.standard_cost)),
    tracking: row.tracking as Item['tracking'],
    defaultWarehouseId: row.default_warehouse_id,
    purchaseLeadDays: row.purchase_lead_days,
    productionLeadDays: row.production_lead_days,
    minOrderQty: formatQty(Number(row.min_order_qty)),
    orderMultiple: formatQty(Number(row.order_multiple)),
    conversions,
    customFields: customFieldsOf(row.custom_fields),
    active: row.active === 1,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
