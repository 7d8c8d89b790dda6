import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { activateBom } from '../boms/bom.lifecycle.ts';
import { createBom } from '../boms/bom.service.ts';
import { createCalendar } from '../calendars/calendar.service.ts';
import { listItems } from '../items/item.service.ts';
import { activateRouting } from '../routings/routing.lifecycle.ts';
import { createRouting } from '../routings/routing.service.ts';
import { addDowntime } from '../workcenters/machine.downtime.ts';
import { createMachine } from '../workcenters/machine.service.ts';
import { createWorkCenter } from '../workcenters/workcenter.service.ts';
import {
  DEMO_BOMS,
  DEMO_EXCEPTIONS,
  DEMO_MACHINES,
  DEMO_ROUTINGS,
  DEMO_SHIFTS,
  DEMO_WORK_CENTERS,
} from './demo-manufacturing-data.ts';

/** Loads the plant through the services: calendar, work centers, machines, active BOMs and routings. */
export async function loadDemoManufacturing(db: Db, ctx: Ctx) {
  const calendar = await createCalendar(db, ctx, {
    code: 'CAL-2SHIFT',
    name: '两班制 (周一至周六)',
    timeZone: 'Asia/Shanghai',
    shifts: DEMO_SHIFTS,
    exceptions: DEMO_EXCEPTIONS,
  });
  const centers = new Map<string, string>();
  for (const wc of DEMO_WORK_CENTERS) {
    centers.set(wc.code, (await createWorkCenter(db, ctx, { ...wc, calendarId: calendar.id })).id);
  }
  const machines = new Map<string, string>();
  for (const m of DEMO_MACHINES) {
    const created = await createMachine(db, ctx, {
      code: m.code,
      name: m.name,
      workCenterId: centers.get(m.wc)!,
      hourlyCost: m.cost,
      ...(m.eff ? { efficiencyBp: m.eff } : {}),
      ...(m.capacity ? { capacity: m.capacity } : {}),
    });
    machines.set(m.code, created.id);
  }
  await addDowntime(db, ctx, machines.get('VMC-03')!, {
    start: '2026-03-14T00:00:00Z',
    end: '2026-03-14T08:00:00Z',
    reason: '季度保养',
  });

  const items = new Map((await listItems(db, { limit: 500 })).items.map((i) => [i.code, i.id]));
  const item = (code: string) => {
    const id = items.get(code);
    if (!id) throw new Error(`demo item ${code} is missing`);
    return id;
  };
  for (const [parent, lines] of Object.entries(DEMO_BOMS)) {
    const bom = await createBom(db, ctx, {
      itemId: item(parent),
      versionLabel: 'V1',
      effectiveFrom: '2026-01-01',
      lines: lines.map(([code, qtyPer, scrapBp]) => ({
        componentItemId: item(code),
        qtyPer,
        scrapBp: scrapBp ?? 0,
      })),
    });
    await activateBom(db, ctx, bom.id, bom.version);
  }
  for (const [code, ops] of Object.entries(DEMO_ROUTINGS)) {
    const routing = await createRouting(db, ctx, {
      itemId: item(code),
      versionLabel: 'V1',
      effectiveFrom: '2026-01-01',
      operations: ops.map((o) => ({
        seq: o.seq,
        name: o.name,
        workCenterId: centers.get(o.wc)!,
        setupMinutes: o.setup,
        runMinutes: o.run,
        alternatives: (o.on ?? []).map(([m, run], i) => ({
          machineId: machines.get(m)!,
          runMinutes: run,
          priority: i,
        })),
        ...(o.after ? { predecessors: [...o.after] } : {}),
        ...(o.tool ? { toolCode: o.tool } : {}),
        ...(o.skill ? { skillCode: o.skill[0], skillLevel: o.skill[1] } : {}),
        ...(o.firstArticle ? { inspection: true } : {}),
        ...(o.batch ? { transferBatch: o.batch } : {}),
        ...(o.wait ? { waitMinutes: o.wait } : {}),
      })),
    });
    await activateRouting(db, ctx, routing.id, routing.version);
  }
  return {
    machines: DEMO_MACHINES.length,
    boms: Object.keys(DEMO_BOMS).length,
    routings: Object.keys(DEMO_ROUTINGS).length,
  };
}
