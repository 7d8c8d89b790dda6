/**
 * Times runMrp on generated data: 5,000 items over three BOM levels (1,000 end items, 1,500
 * sub-assemblies, 2,500 bought parts), ten sales order lines per end item over 90 days, some open
 * receipts. Run: node packages/domain/src/mrp.bench.ts [runs]
 * Data come from a fixed-seed generator, so every run plans the same input.
 */
import { addDays, isoDate } from './calendar.ts';
import { demandId, itemId, receiptId } from './ids.ts';
import type { MrpBomLine, MrpDemand, MrpInput, MrpItem, MrpReceipt } from './mrp.ts';
import { runMrp } from './mrp.ts';
import { qty } from './quantity.ts';
import { basisPoints, days } from './units.ts';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generate(ends = 1000, subs = 1500, parts = 2500, seed = 42): MrpInput {
  const rand = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const start = isoDate('2025-03-03');
  const items: MrpItem[] = [];
  const mk = (id: string, source: 'make' | 'buy'): MrpItem => ({
    id: itemId(id),
    source,
    leadTimeDays: days(source === 'make' ? int(1, 5) : int(3, 20)),
    minOrderQty: qty(source === 'make' ? 0 : int(0, 5) * 10_000),
    orderMultiple: qty(source === 'make' ? 1000 : ([1000, 10_000, 100_000][int(0, 2)] ?? 1000)),
    safetyStock: qty(rand() < 0.3 ? int(1, 50) * 1000 : 0),
  });
  for (let i = 0; i < ends; i++) items.push(mk(`FG-${i}`, 'make'));
  for (let i = 0; i < subs; i++) items.push(mk(`SA-${i}`, 'make'));
  for (let i = 0; i < parts; i++) items.push(mk(`RM-${i}`, 'buy'));
  const bom: MrpBomLine[] = [];
  const link = (parent: string, component: string) =>
    bom.push({
      parent: itemId(parent),
      component: itemId(component),
      qtyPer: qty(int(1, 8) * 500),
      scrap: basisPoints(rand() < 0.2 ? int(50, 500) : 0),
    });
  for (let i = 0; i < ends; i++) {
    const used = new Set<number>();
    for (let k = int(2, 4); k > 0; k--) used.add(int(0, subs - 1));
    for (const s of used) link(`FG-${i}`, `SA-${s}`);
    if (rand() < 0.5) link(`FG-${i}`, `RM-${int(0, parts - 1)}`);
  }
  for (let i = 0; i < subs; i++) {
    const used = new Set<number>();
    for (let k = int(2, 5); k > 0; k--) used.add(int(0, parts - 1));
    for (const p of used) link(`SA-${i}`, `RM-${p}`);
  }
  const demands: MrpDemand[] = [];
  for (let i = 0; i < ends; i++) {
    for (let k = 0; k < 10; k++) {
      demands.push({
        id: demandId(`SO-${i}-${k}`),
        item: itemId(`FG-${i}`),
        qty: qty(int(1, 200) * 1000),
        due: addDays(start, int(0, 90)),
        kind: 'sales_order',
      });
    }
  }
  const receipts: MrpReceipt[] = [];
  for (let i = 0; i < parts; i += 2) {
    receipts.push({
      id: receiptId(`PO-${i}`),
      item: itemId(`RM-${i}`),
      qty: qty(int(1, 100) * 10_000),
      due: addDays(start, int(-5, 60)),
      kind: 'purchase_order',
    });
  }
  const onHand = items
    .filter(() => rand() < 0.5)
    .map((it) => ({ item: it.id, qty: qty(int(0, 500) * 1000) }));
  return { items, bom, onHand, receipts, demands, start };
}

const runs = Number(globalThis.process?.argv?.[2] ?? 5);
const input = generate();
const timings: number[] = [];
let summary = '';
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const result = runMrp(input);
  timings.push(performance.now() - t0);
  if (!result.ok) throw new Error(result.message);
  const rows = result.value.plans.reduce((s, p) => s + p.rows.length, 0);
  summary = `${input.items.length} items, ${input.bom.length} BOM lines, ${input.demands.length} demands → ${result.value.plannedOrders.length} planned orders, ${rows} rows, ${result.value.shortages.length} shortages, ${result.value.actions.length} action messages`;
}
console.log(summary);
const sorted = timings.toSorted((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
console.log(
  `runMrp ms per run: ${timings.map((t) => t.toFixed(1)).join(', ')} (first run includes JIT warm-up)`,
);
console.log(
  `min ${sorted[0]?.toFixed(1)} ms, median ${median.toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms`,
);
