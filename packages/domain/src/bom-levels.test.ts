import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BomEdge, lowLevelCodes } from './bom-levels.ts';
import { type ItemId, itemId } from './ids.ts';

const ids = (...names: string[]): ItemId[] => names.map(itemId);
const edge = (parent: string, component: string): BomEdge => ({
  parent: itemId(parent),
  component: itemId(component),
});

describe('low-level codes', () => {
  it('gives each item the deepest level it appears at', () => {
    const r = lowLevelCodes(ids('BIKE', 'FRAME', 'WHEEL', 'SPOKE', 'BOLT'), [
      edge('BIKE', 'FRAME'),
      edge('BIKE', 'WHEEL'),
      edge('WHEEL', 'SPOKE'),
      edge('BIKE', 'SPOKE'),
      edge('FRAME', 'BOLT'),
      edge('WHEEL', 'BOLT'),
    ]);
    assert.ok(r.ok);
    assert.deepEqual(Object.fromEntries(r.value), { BIKE: 0, FRAME: 1, WHEEL: 1, SPOKE: 2, BOLT: 2 });
  });

  it('puts items outside any BOM at level zero', () => {
    const r = lowLevelCodes(ids('A', 'B'), []);
    assert.ok(r.ok);
    assert.deepEqual(Object.fromEntries(r.value), { A: 0, B: 0 });
  });

  it('refuses a cycle and spells it out parent first', () => {
    const r = lowLevelCodes(ids('TOP', 'A', 'B', 'C'), [
      edge('TOP', 'A'),
      edge('A', 'B'),
      edge('B', 'C'),
      edge('C', 'A'),
    ]);
    assert.ok(!r.ok);
    assert.equal(r.code, 'BOM_CYCLE');
    const cycle = r.details?.cycle as string[];
    assert.equal(cycle[0], cycle[cycle.length - 1]);
    assert.equal(cycle.length, 4);
    const edges = new Set(['A>B', 'B>C', 'C>A']);
    for (let i = 0; i + 1 < cycle.length; i++) assert.ok(edges.has(`${cycle[i]}>${cycle[i + 1]}`));
  });

  it('refuses an item that uses itself', () => {
    const r = lowLevelCodes(ids('A'), [edge('A', 'A')]);
    assert.ok(!r.ok);
    assert.deepEqual(r.details?.cycle, ['A', 'A']);
  });

  it('refuses lines that name unknown items', () => {
    const r = lowLevelCodes(ids('A'), [edge('A', 'GHOST')]);
    assert.equal(!r.ok && r.code, 'UNKNOWN_ITEM');
  });
});
