import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as domain from './index.ts';

describe('package entry point', () => {
  it('exposes the main functions of every module', () => {
    for (const name of [
      'parseQty',
      'formatQty',
      'lineAmount',
      'normaliseCode',
      'nearDuplicateKey',
      'applyWorkOrderAction',
      'applyOperationAction',
      'rollUpWorkOrderStatus',
      'computePriority',
      'compareByPriority',
      'runMrp',
      'lowLevelCodes',
    ]) {
      assert.equal(typeof (domain as Record<string, unknown>)[name], 'function', name);
    }
  });
});
