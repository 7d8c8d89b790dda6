import assert from 'node:assert/strict';
import { test } from 'node:test';
import { characteristicConforms, checkInspectionResult, firstArticleState } from './first-article.ts';

test('first-article state follows the latest inspection when the routing requires one', () => {
  assert.equal(firstArticleState(false, null), 'not_required');
  assert.equal(firstArticleState(false, 'failed'), 'not_required');
  assert.equal(firstArticleState(true, null), 'pending');
  assert.equal(firstArticleState(true, 'requested'), 'pending');
  assert.equal(firstArticleState(true, 'passed'), 'passed');
  assert.equal(firstArticleState(true, 'failed'), 'failed');
});

test('characteristics conform inside nominal ± tolerance, limits inclusive and exact', () => {
  const c = { name: 'Ø', nominal: '10', lowerTol: '0.05', upperTol: '0.05' };
  assert.deepEqual(characteristicConforms({ ...c, measured: '10.05' }), { ok: true, value: true });
  assert.deepEqual(characteristicConforms({ ...c, measured: '9.95' }), { ok: true, value: true });
  assert.deepEqual(characteristicConforms({ ...c, measured: '10.051' }), { ok: true, value: false });
  assert.deepEqual(characteristicConforms({ ...c, measured: '9.9' }), { ok: true, value: false });
  // One-sided: only a maximum.
  assert.deepEqual(characteristicConforms({ ...c, lowerTol: null, measured: '1' }), {
    ok: true,
    value: true,
  });
  // No nominal: a recorded observation, always conforming.
  assert.deepEqual(
    characteristicConforms({ name: 'x', nominal: null, lowerTol: null, upperTol: null, measured: '3' }),
    { ok: true, value: true },
  );
  const bad = characteristicConforms({ ...c, measured: '10,0' });
  assert.equal(bad.ok, false);
  assert.equal(bad.ok ? '' : bad.code, 'CHARACTERISTIC_NOT_A_NUMBER');
  assert.equal(bad.field, 'measured');
  const noNominal = characteristicConforms({ ...c, nominal: null, measured: '1' });
  assert.equal(noNominal.ok ? '' : noNominal.code, 'TOLERANCE_WITHOUT_NOMINAL');
});

test('a result is recorded once, and a pass cannot carry a nonconforming characteristic', () => {
  assert.deepEqual(checkInspectionResult('requested', 'pass', [true, true]), { ok: true, value: 'passed' });
  assert.deepEqual(checkInspectionResult('requested', 'fail', [true, false]), { ok: true, value: 'failed' });
  const r = checkInspectionResult('requested', 'pass', [true, false]);
  assert.equal(r.ok ? '' : r.code, 'PASS_WITH_NONCONFORMING');
  const again = checkInspectionResult('passed', 'fail', []);
  assert.equal(again.ok ? '' : again.code, 'INSPECTION_ALREADY_RECORDED');
});
