import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { FormatError, parseFjs, parseOrlib, parseTaillard, type ShopBenchmark } from './formats.ts';

const SHARED = '/work/shared/scheduling';
const TA = ['21', '22', '23', '24', '25', '26', '27', '28', '29', '30'];
const MK = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10'];
const MK_SIZE: Record<string, [number, number]> = {
  '01': [10, 6],
  '02': [10, 6],
  '03': [15, 8],
  '04': [15, 8],
  '05': [15, 4],
  '06': [10, 10],
  '07': [20, 5],
  '08': [20, 10],
  '09': [20, 10],
  '10': [20, 15],
};

/** Writes a job shop instance in Taillard's published layout. */
function toTaillard(b: ShopBenchmark, withHeader: boolean): string {
  const lines: string[] = [];
  if (withHeader) lines.push('Nb of jobs, Nb of Machines, Time seed, Machine seed, Upper bound, Lower bound');
  lines.push(` ${b.jobs.length} ${b.machines} 1 2 3 4`, 'Times');
  for (const job of b.jobs) lines.push(job.map((op) => op[0]!.minutes).join(' '));
  lines.push('Machines');
  for (const job of b.jobs) lines.push(job.map((op) => op[0]!.machine + 1).join(' '));
  return `${lines.join('\n')}\n`;
}

describe('benchmark parsers', () => {
  it('reads every shared Taillard instance as a 20×20 job shop visiting each machine once per job', () => {
    for (const t of TA) {
      const b = parseOrlib(readFileSync(`${SHARED}/jobshop/ta${t}.txt`, 'utf8'));
      assert.equal(b.machines, 20);
      assert.equal(b.jobs.length, 20);
      for (const job of b.jobs) {
        assert.equal(job.length, 20);
        assert.deepEqual(new Set(job.map((op) => op[0]!.machine)).size, 20);
        for (const op of job) assert.equal(op.length, 1);
      }
    }
  });

  it('keeps OR-Library machines 0-based and reads the first operation of ta21 exactly', () => {
    const b = parseOrlib(readFileSync(`${SHARED}/jobshop/ta21.txt`, 'utf8'));
    assert.deepEqual(b.jobs[0]![0], [{ machine: 6, minutes: 64 }]);
    assert.deepEqual(b.jobs[0]![19], [{ machine: 4, minutes: 94 }]);
  });

  it('reads every Brandimarte instance with the declared jobs and machines, converting machines to 0-based', () => {
    for (const t of MK) {
      const b = parseFjs(readFileSync(`${SHARED}/flexible/mk${t}.fjs`, 'utf8'));
      assert.deepEqual([b.jobs.length, b.machines], MK_SIZE[t]);
      for (const job of b.jobs) {
        for (const op of job) {
          assert.ok(op.length >= 1);
          for (const alt of op) assert.ok(alt.machine >= 0 && alt.machine < b.machines && alt.minutes > 0);
        }
      }
    }
    const mk01 = parseFjs(readFileSync(`${SHARED}/flexible/mk01.fjs`, 'utf8'));
    assert.equal(mk01.jobs[0]!.length, 6);
    assert.deepEqual(mk01.jobs[0]![0], [
      { machine: 0, minutes: 5 },
      { machine: 2, minutes: 4 },
    ]);
  });

  it('reads Taillard blocks with or without the seed and bound header line, machines 1-based', () => {
    const b = parseOrlib(readFileSync(`${SHARED}/jobshop/ta22.txt`, 'utf8'));
    assert.deepEqual(parseTaillard(toTaillard(b, true)), b);
    assert.deepEqual(parseTaillard(toTaillard(b, false)), b);
  });

  it('explains malformed files with the offending line', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => parseOrlib(''), /empty/],
      [() => parseOrlib('2 2\n0 5 1 x\n1 4 0 3\n'), /line 2: .*"x" is not an integer/],
      [() => parseOrlib('2 2\n0 5 2 3\n1 4 0 3\n'), /line 2: machine 2 is outside 0..1/],
      [() => parseOrlib('2 2\n0 5 1 3\n'), /expected 2 job lines, found 1/],
      [() => parseOrlib('2 2\n0 5 1\n1 4 0 3\n'), /line 2: expected "machine time" pairs/],
      [() => parseFjs('1 2\n2 1 1 5 1\n'), /line 2: line ends where a machine was expected/],
      [() => parseFjs('1 2\n1 1 3 5\n'), /line 2: machine 3 is outside 1..2/],
      [() => parseFjs('x 2\n'), /header/],
      [() => parseTaillard('2 2\nTimes\n1 2\n3 4\n1 2\n2 1\n'), /line 5: expected "Machines"/],
      [
        () => parseTaillard('2 2\nTimes\n1 2\n3 4\nMachines\n1 2\n'),
        /expected 2 Machines row lines, found 1/,
      ],
    ];
    for (const [run, message] of cases)
      assert.throws(run, (e: unknown) => e instanceof FormatError && message.test(e.message));
  });
});
