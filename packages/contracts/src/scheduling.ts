import { type Static, Type } from 'typebox';
import { Page, Timestamp } from './common.ts';

/** Finite-capacity scheduling: runs, proposed assignments, manual-move checks, pins and publishing. */
const Id = Type.String({ minLength: 1, maxLength: 64 });
const OrNull = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ScheduleRunCreate = Type.Object(
  {
    timeLimitSeconds: Type.Optional(Type.Number({ minimum: 0.1, maximum: 300, description: 'default 4' })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })),
    maxIterations: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1_000_000,
        description:
          'iteration budget instead of a time limit: the same data, seed and budget give the same plan',
      }),
    ),
    at: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'horizon origin; default now (rounded down to the minute)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ScheduleRunCreate = Static<typeof ScheduleRunCreate>;

export const ScheduleKpis = Type.Object({
  onTimePercent: Type.Number(),
  weightedTardiness: Type.Number({ description: 'weighted minutes late' }),
  makespanMinutes: Type.Number(),
  utilisationPercent: Type.Number({ description: 'average over machines' }),
  utilisationByMachine: Type.Record(Type.String(), Type.Number()),
  setups: Type.Integer(),
  setupMinutes: Type.Integer(),
  scheduledOperations: Type.Integer(),
  unscheduledOperations: Type.Integer(),
});
export type ScheduleKpis = Static<typeof ScheduleKpis>;

export const ScheduleConflict = Type.Object({
  code: Type.String(),
  operationId: Type.String(),
  message: Type.String(),
  related: Type.Array(Type.String()),
});
export type ScheduleConflict = Static<typeof ScheduleConflict>;

export const ScheduleRun = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('solve'), Type.Literal('repair')]),
  status: Type.Union([
    Type.Literal('queued'),
    Type.Literal('running'),
    Type.Literal('done'),
    Type.Literal('failed'),
  ]),
  trigger: Type.String(),
  origin: Timestamp,
  seed: Type.Integer(),
  timeLimitMs: OrNull(Type.Integer()),
  maxIterations: OrNull(Type.Integer()),
  progress: Type.Integer({ minimum: 0, maximum: 100 }),
  baseRunId: OrNull(Type.String()),
  kpis: OrNull(ScheduleKpis),
  conflicts: Type.Array(ScheduleConflict),
  moved: Type.Array(Type.String(), { description: 'repair: operations whose machine or time changed' }),
  note: OrNull(Type.String()),
  error: OrNull(Type.String()),
  elapsedMs: OrNull(Type.Integer()),
  requestedBy: OrNull(Type.String()),
  createdAt: Timestamp,
  startedAt: OrNull(Timestamp),
  finishedAt: OrNull(Timestamp),
  publishedAt: OrNull(Timestamp),
});
export type ScheduleRun = Static<typeof ScheduleRun>;
export const ScheduleRunPage = Page(ScheduleRun);

export const ScheduleComparison = Type.Object({
  publishedRunId: OrNull(Type.String()),
  before: OrNull(ScheduleKpis),
  after: OrNull(ScheduleKpis),
  changedOperations: Type.Integer({ description: 'operations on another machine or at another start' }),
  newOperations: Type.Integer(),
});
export const ScheduleRunDetail = Type.Object({ run: ScheduleRun, comparison: ScheduleComparison });
export type ScheduleRunDetail = Static<typeof ScheduleRunDetail>;

export const ScheduleAssignment = Type.Object({
  operationId: Type.String(),
  workOrderId: Type.String(),
  workOrderCode: Type.String(),
  seq: Type.Integer(),
  name: Type.String(),
  machineId: Type.String(),
  start: Timestamp,
  end: Timestamp,
  setupMinutes: Type.Integer(),
  locked: OrNull(Type.String({ description: 'frozen | pinned' })),
  dueDate: Type.Optional(OrNull(Type.String({ format: 'date', description: 'of the work order' }))),
  priority: Type.Optional(Type.Integer({ description: 'of the work order' })),
});
export type ScheduleAssignment = Static<typeof ScheduleAssignment>;

export const ScheduleAssignmentQuery = Type.Object(
  {
    machineId: Type.Optional(Id),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type ScheduleAssignmentQuery = Static<typeof ScheduleAssignmentQuery>;
export const ScheduleAssignmentList = Type.Object({ items: Type.Array(ScheduleAssignment) });

export const SchedulePublish = Type.Object(
  {
    dispatchWithinHours: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 168,
        description:
          'operations planned to start within this many hours are dispatched on publishing (0: none); default from the scheduling settings',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SchedulePublish = Static<typeof SchedulePublish>;

export const SchedulePublishResult = Type.Object({
  runId: Type.String(),
  publishedAt: Timestamp,
  updatedOperations: Type.Integer(),
  dispatched: Type.Array(Type.String()),
  dispatchErrors: Type.Array(Type.Object({ operationId: Type.String(), message: Type.String() })),
});
export type SchedulePublishResult = Static<typeof SchedulePublishResult>;

export const ScheduleMoveCheck = Type.Object(
  { runId: Id, operationId: Id, machineId: Id, start: Type.String({ format: 'date-time' }) },
  { additionalProperties: false },
);
export type ScheduleMoveCheck = Static<typeof ScheduleMoveCheck>;

export const ScheduleMoveResult = Type.Object({
  ok: Type.Boolean(),
  end: Timestamp,
  setupMinutes: Type.Integer(),
  conflicts: Type.Array(
    Type.Object({ code: Type.String(), message: Type.String(), related: Type.Array(Type.String()) }),
  ),
});
export type ScheduleMoveResult = Static<typeof ScheduleMoveResult>;

export const SchedulePinCreate = Type.Object(
  { operationId: Id, machineId: Id, start: Type.String({ format: 'date-time' }) },
  { additionalProperties: false },
);
export type SchedulePinCreate = Static<typeof SchedulePinCreate>;
export const ScheduleUnpin = Type.Object({ operationId: Id }, { additionalProperties: false });
export type ScheduleUnpin = Static<typeof ScheduleUnpin>;
export const SchedulePin = Type.Object({
  operationId: Type.String(),
  machineId: Type.String(),
  start: Timestamp,
  pinnedBy: OrNull(Type.String()),
  createdAt: Timestamp,
});
export type SchedulePin = Static<typeof SchedulePin>;
export const SchedulePinList = Type.Object({ items: Type.Array(SchedulePin) });

export const ScheduleSettings = Type.Object({
  frozenHorizonMinutes: Type.Integer({ minimum: 0, maximum: 10_080 }),
  dispatchWithinHours: Type.Integer({ minimum: 0, maximum: 168 }),
  version: Type.Integer(),
  updatedAt: Timestamp,
});
export type ScheduleSettings = Static<typeof ScheduleSettings>;
export const ScheduleSettingsUpdate = Type.Object(
  {
    frozenHorizonMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_080 })),
    dispatchWithinHours: Type.Optional(Type.Integer({ minimum: 0, maximum: 168 })),
    version: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);
export type ScheduleSettingsUpdate = Static<typeof ScheduleSettingsUpdate>;
