export {
  type BenchmarkOutput,
  benchmarkOutput,
  benchmarkProblem,
  outputAssignments,
  solveBenchmark,
} from './benchmark.ts';
export {
  type ManualMove,
  type MoveCheck,
  type MoveConflict,
  type MoveConflictCode,
  checkMove,
} from './check-move.ts';
export { ProblemError } from './problem-error.ts';
export {
  BENCHMARK_FORMATS,
  type BenchmarkFormat,
  FormatError,
  parseBenchmark,
  parseFjs,
  parseOrlib,
  parseTaillard,
  type ShopBenchmark,
} from './formats.ts';
export * from './model.ts';
export { type RepairEvent, type RepairOptions, type RepairResult, repair } from './repair.ts';
export { DEFAULT_DISPATCH_ITERATIONS, DEFAULT_SHOP_ITERATIONS, solve } from './solve.ts';
export { FOREVER, type Minutes } from './units.ts';
export { type ScheduleToCheck, type Violation, type ViolationCode, validate } from './validate.ts';
