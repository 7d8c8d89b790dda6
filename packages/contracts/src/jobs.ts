import { type Static, Type } from 'typebox';
import { Page, Timestamp } from './common.ts';

export const JobStatus = Type.Union([
  Type.Literal('ready'),
  Type.Literal('running'),
  Type.Literal('done'),
  Type.Literal('dead'),
]);
export type JobStatus = Static<typeof JobStatus>;

export const Job = Type.Object({
  id: Type.String(),
  queue: Type.String(),
  name: Type.String(),
  status: JobStatus,
  payload: Type.Unknown(),
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  runAt: Timestamp,
  leaseUntil: Type.Union([Timestamp, Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Job = Static<typeof Job>;

export const JobListQuery = Type.Object(
  {
    status: Type.Optional(JobStatus),
    name: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);
export type JobListQuery = Static<typeof JobListQuery>;

export const JobPage = Page(Job);

export const JobStats = Type.Object({
  ready: Type.Integer(),
  running: Type.Integer(),
  done: Type.Integer(),
  dead: Type.Integer(),
  oldestReadyAgeSeconds: Type.Union([Type.Number(), Type.Null()]),
});
export type JobStats = Static<typeof JobStats>;

export const RecurringSchedule = Type.Object({
  name: Type.String(),
  cron: Type.String(),
  nextRunAt: Timestamp,
  lastRunAt: Type.Union([Timestamp, Type.Null()]),
});
export type RecurringSchedule = Static<typeof RecurringSchedule>;
