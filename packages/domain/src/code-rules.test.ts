import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compileCodeRule,
  findNearDuplicates,
  nearDuplicateKey,
  normaliseCode,
  normaliseName,
  normaliseText,
  toHalfWidth,
} from './code-rules.ts';
import { unwrap } from './result.ts';

describe('width and whitespace normalisation', () => {
  it('turns full-width letters, digits and punctuation into half-width', () => {
    assert.equal(toHalfWidth('ＡＢ－００１（新）'), 'AB-001(新)');
    assert.equal(toHalfWidth('螺栓，Ｍ８：不锈钢；～'), '螺栓,M8:不锈钢;~');
    assert.equal(toHalfWidth('【加急】“客户”。'), '[加急]"客户".');
  });

  it('trims and collapses whitespace including the ideographic space', () => {
    assert.equal(normaliseText('\u3000 六角  螺栓\u3000M8 '), '六角 螺栓 M8');
  });

  it('drops invisible characters pasted from Excel', () => {
    assert.equal(normaliseText('\uFEFFAB\u200B-01'), 'AB-01');
  });

  it('keeps Chinese characters and case in names', () => {
    assert.equal(normaliseName('  不锈钢 Ｈｅｘ  螺栓 '), '不锈钢 Hex 螺栓');
  });
});

describe('code rules', () => {
  const rule = unwrap(
    compileCodeRule({
      pattern: '[A-Z]{2}-\\d{4}',
      description: '2 letters, a dash and 4 digits, e.g. AB-0001',
    }),
  );

  it('normalises a code typed with a Chinese input method before checking it', () => {
    assert.deepEqual(normaliseCode('ａｂ－０００１', rule), { ok: true, value: 'AB-0001' });
    assert.deepEqual(normaliseCode(' ab - 0001 ', rule), { ok: true, value: 'AB-0001' });
  });

  it('explains a mismatch with the rule description', () => {
    const r = normaliseCode('AB-01', rule);
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.code === 'CODE_PATTERN_MISMATCH');
    assert.match(!r.ok ? r.message : '', /2 letters, a dash and 4 digits/);
    assert.equal(!r.ok && r.details?.normalised, 'AB-01');
  });

  it('refuses empty and over-long codes', () => {
    const r1 = normaliseCode('\u3000 ', rule);
    assert.equal(!r1.ok && r1.code, 'CODE_EMPTY');
    const short = unwrap(compileCodeRule({ pattern: '.*', description: 'anything', maxLength: 4 }));
    const r2 = normaliseCode('ABCDE', short);
    assert.equal(!r2.ok && r2.code, 'CODE_TOO_LONG');
  });

  it('anchors the pattern so a partial match is not enough', () => {
    const r = normaliseCode('XAB-0001', rule);
    assert.equal(!r.ok && r.code, 'CODE_PATTERN_MISMATCH');
  });

  it('can keep case and allow Chinese characters when the company wants that', () => {
    const cn = unwrap(
      compileCodeRule({
        pattern: '[\\p{Script=Han}A-Za-z0-9-]+',
        description: '汉字、字母、数字',
        upperCase: false,
      }),
    );
    assert.deepEqual(normaliseCode('原料－Ａ１', cn), { ok: true, value: '原料-A1' });
  });

  it('refuses a rule whose pattern is not a valid regular expression', () => {
    const r = compileCodeRule({ pattern: '[A-Z', description: 'broken' });
    assert.equal(!r.ok && r.code, 'CODE_RULE_INVALID');
  });

  it('uses a sensible default rule', () => {
    assert.deepEqual(normaliseCode('ｒｍ－００１'), { ok: true, value: 'RM-001' });
    const r = normaliseCode('原料001');
    assert.equal(!r.ok && r.code, 'CODE_PATTERN_MISMATCH');
  });
});

describe('near-duplicate keys', () => {
  it('matches names that differ only in width, case and spacing', () => {
    assert.equal(
      nearDuplicateKey('不锈钢六角螺栓', 'Ｍ８×２０'),
      nearDuplicateKey('不锈钢 六角螺栓 ', 'm8*20'),
    );
    assert.equal(nearDuplicateKey('PCB板', 'FR-4 1.6mm'), nearDuplicateKey('ＰＣＢ板', 'fr4 1.6MM'));
  });

  it('treats the usual diameter signs as one', () => {
    assert.equal(nearDuplicateKey('圆钢', 'Φ10'), nearDuplicateKey('圆钢', 'ø10'));
  });

  it('keeps different specs apart', () => {
    assert.notEqual(nearDuplicateKey('不锈钢六角螺栓', 'M8×20'), nearDuplicateKey('不锈钢六角螺栓', 'M8×25'));
    assert.notEqual(nearDuplicateKey('铜线', '1.5mm'), nearDuplicateKey('铜线', '15mm'));
  });

  it('keeps name and spec apart so text cannot slide from one to the other', () => {
    assert.notEqual(nearDuplicateKey('螺栓M8', ''), nearDuplicateKey('螺栓', 'M8'));
  });

  it('finds existing items that look like the one being created', () => {
    const existing = [
      { code: 'B-001', name: '六角螺栓', spec: 'M8×20' },
      { code: 'B-002', name: '六角螺栓', spec: 'M10×20' },
      { code: 'N-001', name: '六角螺母', spec: 'M8' },
    ];
    const hits = findNearDuplicates({ name: '六角螺栓', spec: 'Ｍ８＊２０' }, existing, (x) => x);
    assert.deepEqual(
      hits.map((h) => h.code),
      ['B-001'],
    );
  });
});
