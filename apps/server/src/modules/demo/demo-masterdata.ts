import type { ItemCreate } from '@takt/contracts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { createCustomer } from '../customers/customer.service.ts';
import { createEmployee } from '../employees/employee.service.ts';
import { listItems } from '../items/item.service.ts';
import { createSupplier } from '../suppliers/supplier.service.ts';
import { createTool, recordUsage } from '../tools/tool.service.ts';
import { createLocation, createWarehouse } from '../warehouses/warehouse.service.ts';
import { DEMO_EMPLOYEES, DEMO_ITEM_DETAILS, DEMO_TOOLS, DEMO_WAREHOUSES } from './demo-masterdata-data.ts';
import { DEMO_CUSTOMERS, DEMO_SUPPLIERS } from './demo-partners.ts';

/** Item code prefix → the warehouse it is kept in by default. */
const HOME: Readonly<Record<string, string>> = {
  RM: 'WH-RM',
  PP: 'WH-RM',
  CM: 'WH-RM',
  SF: 'WH-WIP',
  FG: 'WH-FG',
};

/** The demo warehouses and their bins; item defaults refer to them, so they come first. */
export async function loadDemoWarehouses(db: Db, ctx: Ctx): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const w of DEMO_WAREHOUSES) {
    const created = await createWarehouse(db, ctx, { code: w.code, name: w.name, address: w.address });
    ids.set(w.code, created.id);
    for (const [code, name, kind] of w.locations)
      await createLocation(db, ctx, created.id, { code, name, kind });
  }
  return ids;
}

/** A demo item with its planning details and default warehouse (by code prefix). */
export function demoItem(item: ItemCreate, warehouses: ReadonlyMap<string, string>): ItemCreate {
  const home = warehouses.get(HOME[item.code.slice(0, 2)] ?? '');
  return { ...item, ...(home ? { defaultWarehouseId: home } : {}), ...DEMO_ITEM_DETAILS[item.code] };
}

/** Customers, suppliers, operators and tooling, loaded through the services after the items. */
export async function loadDemoMasterData(db: Db, ctx: Ctx): Promise<void> {
  const items = new Map((await listItems(db, { limit: 500 })).items.map((i) => [i.code, i.id]));
  const itemId = (code: string) => {
    const id = items.get(code);
    if (!id) throw new Error(`demo data refers to unknown item ${code}`);
    return id;
  };
  for (const c of DEMO_CUSTOMERS) await createCustomer(db, ctx, c);
  for (const s of DEMO_SUPPLIERS) {
    await createSupplier(db, ctx, {
      code: s.code,
      name: s.name,
      leadDays: s.leadDays,
      address: s.address,
      contacts: s.contacts,
      items: s.items.map(({ itemCode, ...line }) => ({ ...line, itemId: itemId(itemCode) })),
    });
  }
  for (const e of DEMO_EMPLOYEES) await createEmployee(db, ctx, e);
  for (const { itemCodes, used, ...t } of DEMO_TOOLS) {
    const tool = await createTool(db, ctx, { ...t, itemIds: itemCodes.map(itemId) });
    if (used) await recordUsage(db, ctx, tool.id, { count: used });
  }
}
