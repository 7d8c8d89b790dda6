import type { Machine, MachineDuration, RoutingDuration } from '@takt/contracts';
import type { Db } from '../../platform/db/database.ts';
import { invalidField } from '../../platform/errors.ts';
import { formatQty, parseQtyField } from '../../platform/units.ts';
import { getMachines, machinesOfWorkCenters } from '../workcenters/machine.service.ts';
import { parseRunMinutes, runMinutesFor } from './routing.rules.ts';
import { getRouting } from './routing.service.ts';

/**
 * Per operation and eligible machine, the setup and run minutes for `qty` units — what the scheduler
 * needs. Eligible: the operation's listed machines at their own times when it lists any, otherwise
 * every active machine of its work center at the operation's times. Run time is divided by the
 * machine's efficiency and rounded up to whole minutes once.
 */
export async function routingDuration(
  db: Db,
  id: string,
  qtyText: string | undefined,
): Promise<RoutingDuration> {
  const qty = parseQtyField('/querystring/qty', qtyText ?? '1');
  if (qty <= 0) {
    throw invalidField('/querystring/qty', 'must be greater than 0', {
      detail: 'qty must be greater than 0',
    });
  }
  const routing = await getRouting(db, id);
  const inCenters = await machinesOfWorkCenters(
    db,
    routing.operations.map((o) => o.workCenterId),
  );
  const alternatives = new Map(
    (
      await getMachines(
        db,
        routing.operations.flatMap((o) => o.alternatives.map((a) => a.machineId)),
      )
    ).map((m) => [m.id, m]),
  );
  const line = (
    m: Machine,
    runMmin: number,
    setup: number,
    alternative: boolean,
    priority: number,
  ): MachineDuration => {
    const run = runMinutesFor(qty, runMmin, m.efficiencyBp);
    return {
      machineId: m.id,
      machineCode: m.code,
      alternative,
      priority,
      efficiencyBp: m.efficiencyBp,
      setupMinutes: setup,
      runMinutes: run,
      totalMinutes: setup + run,
    };
  };
  return {
    routingId: routing.id,
    qty: formatQty(qty),
    operations: routing.operations.map((op) => {
      const eligible = new Map<string, MachineDuration>();
      for (const a of op.alternatives) {
        const m = alternatives.get(a.machineId);
        if (m?.active) {
          eligible.set(
            m.id,
            line(m, parseRunMinutes(a.runMinutes), a.setupMinutes ?? op.setupMinutes, true, a.priority),
          );
        }
      }
      if (op.alternatives.length === 0) {
        for (const m of inCenters) {
          if (m.workCenterId === op.workCenterId && m.active) {
            eligible.set(m.id, line(m, parseRunMinutes(op.runMinutes), op.setupMinutes, false, 0));
          }
        }
      }
      return {
        seq: op.seq,
        name: op.name,
        workCenterId: op.workCenterId,
        predecessors: op.predecessors,
        waitMinutes: op.waitMinutes,
        overlap: op.overlap,
        transferBatch: op.transferBatch,
        machines: [...eligible.values()].sort(
          (a, b) =>
            a.priority - b.priority ||
            a.totalMinutes - b.totalMinutes ||
            (a.machineCode < b.machineCode ? -1 : 1),
        ),
      };
    }),
  };
}
