import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validate, version } from 'uuid';
import { newId } from './ids.ts';

describe('ids', () => {
  it('makes distinct UUIDv7 ids that sort in the order they were made, many to a millisecond', () => {
    // More ids than one draw of random bytes covers, made faster than the clock moves.
    const ids = Array.from({ length: 5000 }, () => newId());
    for (const id of ids) {
      assert.ok(validate(id), id);
      assert.equal(version(id), 7);
    }
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual([...ids].sort(), ids);
  });

  it('starts each id with the millisecond it was made in', () => {
    const before = Date.now();
    const id = newId();
    const ms = Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
    assert.ok(ms >= before && ms <= Date.now() + 1, `${ms} not in [${before}, now]`);
  });
});
