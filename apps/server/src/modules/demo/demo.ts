import { createUser } from '../../platform/auth/sessions.ts';
import { systemCtx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { createItem } from '../items/item.service.ts';
import { loadDemoActivity } from './demo-activity.ts';
import { loadDemoManufacturing } from './demo-manufacturing.ts';
import { demoItem, loadDemoMasterData, loadDemoWarehouses } from './demo-masterdata.ts';
import { loadDemoPurchasing } from './demo-purchasing.ts';
import { loadDemoSales } from './demo-sales.ts';
import { DEMO_ITEMS, DEMO_PASSWORD, DEMO_USERS } from './demo-data.ts';

/**
 * The demo factory: 精工五金 (Precision Hardware), a small metal-parts shop. Later modules extend it
 * (BOMs, routings, machines, orders). Loaded through the same services as real input.
 */
export async function loadDemoFactory(
  db: Db,
  options: { activity?: boolean } = {},
): Promise<{ items: number; users: number; workOrders: number; scheduledOperations: number }> {
  const ctx = systemCtx();
  for (const u of DEMO_USERS) {
    await createUser(db, ctx, {
      login: u.login,
      displayName: u.displayName,
      password: DEMO_PASSWORD,
      roles: [u.role],
      // Operators also sign in at shop-floor terminals with a badge and a PIN.
      ...('badge' in u ? { badge: u.badge, pin: u.pin } : {}),
    });
  }
  const warehouses = await loadDemoWarehouses(db, ctx);
  for (const item of DEMO_ITEMS) await createItem(db, ctx, demoItem(item, warehouses));
  await loadDemoMasterData(db, ctx);
  await loadDemoManufacturing(db, ctx);
  await loadDemoSales(db, ctx);
  await loadDemoPurchasing(db, ctx);
  const activity = options.activity ? await loadDemoActivity(db) : { workOrders: 0, scheduledOperations: 0 };
  return { items: DEMO_ITEMS.length, users: DEMO_USERS.length, ...activity };
}
