import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startGapMeter } from './gap-meter.ts';

const busyWait = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the event-loop gap meter', () => {
  it('sees the main thread held by a busy wait, also one that lasts until it stops', async () => {
    const meter = startGapMeter();
    await sleep(5);
    busyWait(150);
    const gap = meter.stop();
    assert.ok(gap >= 140, `longest gap ${gap.toFixed(1)} ms`);
    // Stopped: the answer no longer grows.
    await sleep(20);
    assert.equal(meter.longest(), gap);
  });

  it('sees a held loop that the ticks after it close', async () => {
    const meter = startGapMeter();
    await sleep(5);
    busyWait(150);
    await sleep(20);
    const gap = meter.stop();
    assert.ok(gap >= 140, `longest gap ${gap.toFixed(1)} ms`);
  });

  it('sees short gaps on an idle loop', async () => {
    const meter = startGapMeter();
    await sleep(50);
    const gap = meter.stop();
    // Loose: the machine may be busy with other work.
    assert.ok(gap < 40, `longest gap ${gap.toFixed(1)} ms`);
  });

  it('forgets the gaps before a reset', async () => {
    const meter = startGapMeter(5);
    busyWait(100);
    await sleep(10);
    assert.ok(meter.longest() >= 90);
    meter.reset();
    await sleep(30);
    const gap = meter.stop();
    assert.ok(gap < 40, `longest gap ${gap.toFixed(1)} ms`);
  });
});
