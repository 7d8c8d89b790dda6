import { createUser } from '../../platform/auth/sessions.ts';
import { systemCtx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { createItem } from '../items/item.service.ts';
import { DEMO_ITEMS, DEMO_PASSWORD, DEMO_USERS } from './demo-data.ts';

/**
 * The demo factory: 精工五金 (Precision Hardware), a small metal-parts shop. Later modules extend it
 * (BOMs, routings, machines, orders). Loaded through the same services as real input.
 */
export async function loadDemoFactory(db: Db): Promise<{ items: number; users: number }> {
  const ctx = systemCtx();
  for (const u of DEMO_USERS) {
    await createUser(db, ctx, {
      login: u.login,
      displayName: u.displayName,
      password: DEMO_PASSWORD,
      roles: [u.role],
    });
  }
  for (const item of DEMO_ITEMS) await createItem(db, ctx, item);
  return { items: DEMO_ITEMS.length, users: DEMO_USERS.length };
}
