/**
 * Realistic plant benchmark: schedule the generated plant, then repair after a breakdown.
 *
 *   node bench/scheduling/plant.ts [--seed N] [--time-limit seconds]
 *
 * Prints the KPIs, the time to schedule, the time to repair, how many operations moved and whether
 * anything inside the frozen horizon changed. Both results are checked with the validator.
 */
import { parseArgs } from 'node:util';
import { type Assignment, repair, solve, validate } from '@takt/scheduler';
import { DAY, generatePlant } from './plant-model.ts';

function main(): void {
  const { values } = parseArgs({
    options: { seed: { type: 'string', default: '7' }, 'time-limit': { type: 'string', default: '4' } },
  });
  const seed = Number(values.seed);
  const limitMs = Number(values['time-limit']) * 1000;
  const problem = generatePlant({ seed });
  const machineGroups = new Set(problem.machines.map((m) => m.id.split('M')[0]));
  console.log(
    `plant: ${problem.jobs.length} work orders, ${problem.operations.length} operations, ${problem.machines.length} machines in ${machineGroups.size} groups, ${problem.resources?.length ?? 0} secondary resources`,
  );

  const first = solve(problem, { seed, maxIterations: 1 }).kpis;
  const t0 = performance.now();
  const schedule = solve(problem, { seed, timeLimitMs: limitMs, now: () => performance.now() });
  const solveSeconds = (performance.now() - t0) / 1000;
  const k = schedule.kpis;
  const violations = validate(problem, schedule);
  console.log(`\n## full schedule (budget ${limitMs / 1000} s)`);
  console.log(
    `time to schedule:        ${solveSeconds.toFixed(2)} s (${schedule.stats.iterations} dispatch runs)`,
  );
  console.log(
    `weighted tardiness:      ${k.totalWeightedTardiness} (single ATCS pass: ${first.totalWeightedTardiness})`,
  );
  console.log(`on-time:                 ${k.onTimePercent} % (single ATCS pass: ${first.onTimePercent} %)`);
  console.log(`makespan:                ${(k.makespan / DAY).toFixed(1)} days`);
  console.log(`setups:                  ${k.setups} (${k.setupMinutes} min)`);
  console.log(`unscheduled operations:  ${k.unscheduledOperations}`);
  console.log(`validator violations:    ${violations.length}`);

  // Breakdown of the busiest machine for a full day, starting Tuesday 08:00 of the second week.
  const load = new Map<string, number>();
  for (const a of schedule.assignments) load.set(a.machine, (load.get(a.machine) ?? 0) + a.end - a.start);
  const busiest = [...load.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
  const currentTime = 8 * DAY + 8 * 60;
  const frozenHorizon = 4 * 60;
  const event = { type: 'breakdown', machine: busiest, start: currentTime, end: currentTime + DAY } as const;
  const t1 = performance.now();
  const result = repair(problem, schedule, event, { currentTime, frozenHorizon });
  const repairSeconds = (performance.now() - t1) / 1000;
  const after = new Map(result.schedule.assignments.map((a) => [a.op, a]));
  const same = (a: Assignment, b: Assignment | undefined): boolean =>
    b !== undefined && a.machine === b.machine && a.unit === b.unit && a.start === b.start && a.end === b.end;
  const frozen = schedule.assignments.filter((a) => a.start < currentTime + frozenHorizon);
  const changedFrozen = frozen.filter((a) => !same(a, after.get(a.op))).length;
  const repairViolations = validate(result.problem, result.schedule);
  const r = result.schedule.kpis;
  console.log(`\n## repair after breakdown of ${busiest} for 24 h (now = day 8 08:00, frozen horizon 4 h)`);
  console.log(`time to repair:          ${repairSeconds.toFixed(2)} s`);
  console.log(`operations moved:        ${result.moved.length} of ${schedule.assignments.length}`);
  console.log(`frozen operations:       ${frozen.length}, changed: ${changedFrozen}`);
  console.log(`weighted tardiness:      ${r.totalWeightedTardiness} (was ${k.totalWeightedTardiness})`);
  console.log(`on-time:                 ${r.onTimePercent} % (was ${k.onTimePercent} %)`);
  console.log(`conflicts reported:      ${result.schedule.conflicts.length}`);
  console.log(`validator violations:    ${repairViolations.length}`);
  if (violations.length > 0 || repairViolations.length > 0 || changedFrozen > 0) process.exitCode = 1;
}

main();
