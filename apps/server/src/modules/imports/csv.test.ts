import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvLine, parseCsv, unguard } from './csv.ts';

async function parse(chunks: readonly (string | Uint8Array)[]): Promise<string[][]> {
  const rows: string[][] = [];
  async function* source() {
    yield* chunks;
  }
  for await (const r of parseCsv(source())) rows.push(r);
  return rows;
}

describe('CSV', () => {
  it('reads quotes, commas and newlines inside fields, whatever the chunking', async () => {
    const text = '\uFEFFa,b,c\r\n"x, ""y""","line1\nline2",\r\nplain,"",last\n';
    const expected = [
      ['a', 'b', 'c'],
      ['x, "y"', 'line1\nline2', ''],
      ['plain', '', 'last'],
    ];
    assert.deepEqual(await parse([Buffer.from(text)]), expected);
    const bytes = Buffer.from(text);
    const oneByOne = [...bytes].map((b) => Uint8Array.of(b));
    assert.deepEqual(await parse(oneByOne), expected);
  });

  it('writes what it reads back, formulas defused', async () => {
    const values = ['=SUM(A1)', 'a "b", c', ' lead', 'multi\r\nline', '-5', '中文'];
    const rows = await parse([csvLine(values)]);
    assert.deepEqual(rows[0]!.map(unguard), values);
    assert.equal(rows[0]![0], "'=SUM(A1)");
  });

  it('keeps a last line without a line end', async () => {
    assert.deepEqual(await parse(['a,b\r\n1,2']), [
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});
