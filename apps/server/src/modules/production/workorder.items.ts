import { preparedList } from '../../platform/db/compiled.ts';
import type { Db } from '../../platform/db/database.ts';
import { noteRead, unnoted } from '../../platform/db/table-versions.ts';

/** The item columns a work-order list row shows. */
export interface ItemName {
  readonly code: string;
  readonly name: string;
}

const namesOf = preparedList((db, ids: readonly string[]) =>
  db.selectFrom('items').select(['id', 'code', 'name']).where('id', 'in', ids),
);

/**
 * Dropped at least this often, like master-data cache entries (cache.ts): the bound on how long a
 * change missed by this process (Redis away, a command-line tool writing the database) can show.
 */
const MAX_AGE_MS = 5 * 60_000;
const MAX_ENTRIES = 20_000;

/**
 * Code and name of items by id, kept in this process for list pages of work orders: a page shows
 * the item of every row, and joining items for each of them costs more than the rest of the row.
 * Everything kept is dropped as soon as the items table is written (table-versions.ts sees every
 * write in this process and, with Redis, in the others), and at the latest after MAX_AGE_MS.
 */
class ItemNames {
  readonly #db: Db;
  readonly #kept = new Map<string, ItemName>();
  #epoch: number;
  #since = 0;

  constructor(db: Db) {
    this.#db = db;
    this.#epoch = db.versions.epoch;
  }

  async of(ids: readonly string[]): Promise<ReadonlyMap<string, ItemName>> {
    const versions = this.#db.versions;
    const now = Date.now();
    if (
      // Items added since cannot be any kept here: only a changed or deleted item drops them.
      versions.staleSince([], ['items'], this.#epoch) ||
      now - this.#since > MAX_AGE_MS ||
      this.#kept.size > MAX_ENTRIES
    ) {
      this.#kept.clear();
      this.#epoch = versions.epoch;
      this.#since = now;
    }
    // A fresh map: what is kept may be dropped by another request before the caller reads it.
    const out = new Map<string, ItemName>();
    const missing: string[] = [];
    for (const id of ids) {
      const kept = this.#kept.get(id);
      if (kept) out.set(id, kept);
      else missing.push(id);
    }
    if (missing.length === 0) return noted(out, ids);
    const epoch = this.#epoch;
    const rows = await unnoted(() => namesOf(this.#db.kysely, [...new Set(missing)]));
    // Names read while items were being changed may already be outdated: use them, keep none.
    const keep = epoch === this.#epoch && !versions.staleSince([], ['items'], epoch);
    for (const r of rows) {
      const name = { code: r.code, name: r.name };
      out.set(r.id, name);
      if (keep) this.#kept.set(r.id, name);
    }
    return noted(out, ids);
  }
}

/**
 * Notes for a cached answer (read-cache.ts) what these names rest on: rows of items found by id, which
 * only a change or deletion alters (an added item has an id nobody asked for), as it was with a join.
 * An id without an item could be added later: then the answer rests on the whole table.
 */
function noted(out: Map<string, ItemName>, ids: readonly string[]): Map<string, ItemName> {
  noteRead('items', ids.every((id) => out.has(id)) ? 'lookup' : 'full');
  return out;
}

const byDb = new WeakMap<Db, ItemNames>();

/** Code and name of the items `ids` (an id without an item is left out). */
export function itemNames(db: Db, ids: readonly string[]): Promise<ReadonlyMap<string, ItemName>> {
  let names = byDb.get(db);
  if (!names) {
    names = new ItemNames(db);
    byDb.set(db, names);
  }
  return names.of(ids);
}
