import type { Explosion, ExplosionLine, WhereUsed, WhereUsedLine } from '@takt/contracts';
import type { Db } from '../../platform/db/database.ts';
import type { BomLinesTable, BomsTable } from '../../platform/db/schema.ts';
import { invalidField, notFound } from '../../platform/errors.ts';
import { formatQty, parseQtyField } from '../../platform/units.ts';
import * as repo from './bom.repo.ts';
import { requiredQty } from './bom.rules.ts';
import { lookupItems } from './bom.service.ts';

/** Deeper than any real product; stops a walk should a cycle ever slip into the data. */
const MAX_LEVELS = 40;

/**
 * Multi-level explosion of one BOM version for `qty` parents: each component's requirement includes
 * its scrap and is rounded up to the quantity scale; components with an active BOM explode further
 * with that requirement. Lines come depth-first, in position order, as an indented BOM reads.
 */
export async function explodeBom(db: Db, id: string, qtyText: string | undefined): Promise<Explosion> {
  const qty = parseQtyField('/querystring/qty', qtyText ?? '1');
  if (qty <= 0) {
    throw invalidField('/querystring/qty', 'must be greater than 0', {
      detail: 'qty must be greater than 0',
    });
  }
  const root = await repo.findBom(db.kysely, id);
  if (!root) throw notFound('BOM', id);

  const activeByItem = new Map<string, BomsTable | null>();
  const linesByBom = new Map<string, BomLinesTable[]>();
  const linesOf = async (bomId: string) => {
    const cached = linesByBom.get(bomId);
    if (cached) return cached;
    const lines = await repo.linesOf(db.kysely, [bomId]);
    linesByBom.set(bomId, lines);
    return lines;
  };
  const activeOf = async (itemId: string) => {
    if (!activeByItem.has(itemId))
      activeByItem.set(itemId, (await repo.activeBomOf(db.kysely, itemId)) ?? null);
    return activeByItem.get(itemId) ?? null;
  };
  const out: Omit<ExplosionLine, 'itemName' | 'uom'>[] = [];
  const walk = async (bomId: string, parentQty: number, path: string[], level: number): Promise<void> => {
    for (const l of await linesOf(bomId)) {
      const required = requiredQty(parentQty, Number(l.qty_per), l.scrap_bp);
      const sub = await activeOf(l.component_item_id);
      const own = [...path, l.component_code];
      out.push({
        level,
        path: own,
        itemId: l.component_item_id,
        itemCode: l.component_code,
        qtyPer: formatQty(Number(l.qty_per)),
        scrapBp: l.scrap_bp,
        requiredQty: formatQty(required),
        operationSeq: l.operation_seq,
        bomId: sub?.id ?? null,
      });
      if (sub && level < MAX_LEVELS && !path.includes(l.component_code))
        await walk(sub.id, required, own, level + 1);
    }
  };
  await walk(root.id, qty, [root.item_code], 1);
  const items = await lookupItems(
    db,
    out.map((r) => r.itemId),
  );
  return {
    bomId: root.id,
    itemId: root.item_id,
    itemCode: root.item_code,
    qty: formatQty(qty),
    lines: out.map((r) => ({
      ...r,
      itemName: items.get(r.itemId)?.name ?? '',
      uom: items.get(r.itemId)?.uom ?? '',
    })),
  };
}

/** Every active BOM that uses the item, directly or through sub-assemblies, with each path upwards. */
export async function whereUsed(db: Db, itemId: string): Promise<WhereUsed> {
  const item = (await lookupItems(db, [itemId])).get(itemId);
  if (!item) throw notFound('Item', itemId);
  const usages: Omit<WhereUsedLine, 'parentName'>[] = [];
  let frontier = [{ id: itemId, path: [item.code], level: 0 }];
  while (frontier.length > 0) {
    const uses = await repo.activeUsesOf(db.kysely, [...new Set(frontier.map((f) => f.id))]);
    const next: typeof frontier = [];
    for (const f of frontier) {
      for (const u of uses.filter((x) => x.componentId === f.id)) {
        const path = [...f.path, u.parentCode];
        usages.push({
          level: f.level + 1,
          path,
          parentItemId: u.parentId,
          parentCode: u.parentCode,
          bomId: u.bomId,
          bomVersionLabel: u.label,
          componentCode: u.componentCode,
          qtyPer: formatQty(Number(u.qtyPer)),
          scrapBp: u.scrapBp,
        });
        if (f.level + 1 < MAX_LEVELS && !f.path.includes(u.parentCode)) {
          next.push({ id: u.parentId, path, level: f.level + 1 });
        }
      }
    }
    frontier = next;
  }
  const parents = await lookupItems(
    db,
    usages.map((u) => u.parentItemId),
  );
  return {
    itemId,
    itemCode: item.code,
    usages: usages.map((u) => ({ ...u, parentName: parents.get(u.parentItemId)?.name ?? '' })),
  };
}
