import { type Static, Type } from 'typebox';
import { Page, Timestamp } from '../common.ts';
import { CustomFieldFilter, StoredCustomFields, WithCustomFields } from '../custom-fields.ts';
import { MoneyString } from '../items.ts';
import { Code, DateString, MfgListQuery, Name, RefId, TimeOfDay } from './common.ts';

// ---- Calendars -------------------------------------------------------------------------------

/** A shift starts on `weekday` (1 = Monday … 7 = Sunday); an end at or before the start is next day. */
export const Shift = Type.Object(
  { weekday: Type.Integer({ minimum: 1, maximum: 7 }), start: TimeOfDay, end: TimeOfDay },
  { additionalProperties: false },
);
export type Shift = Static<typeof Shift>;

/**
 * A date that differs from the weekly pattern: a `holiday` has no shifts; a `workday` (调休 make-up day)
 * works the shifts of `asWeekday` (default Monday).
 */
export const CalendarException = Type.Object(
  {
    date: DateString,
    kind: Type.Union([Type.Literal('holiday'), Type.Literal('workday')]),
    name: Type.Optional(Type.String({ maxLength: 100 })),
    asWeekday: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 })),
  },
  { additionalProperties: false },
);
export type CalendarException = Static<typeof CalendarException>;

const Shifts = Type.Array(Shift, { maxItems: 70 });
const Exceptions = Type.Array(CalendarException, { maxItems: 2000 });
const TimeZone = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'IANA time zone, e.g. Asia/Shanghai',
});

export const Calendar = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  timeZone: Type.String(),
  shifts: Type.Array(Shift),
  exceptions: Type.Array(CalendarException),
  active: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Calendar = Static<typeof Calendar>;

export const CalendarCreate = Type.Object(
  {
    code: Code,
    name: Name,
    timeZone: TimeZone,
    shifts: Type.Optional(Shifts),
    exceptions: Type.Optional(Exceptions),
  },
  { additionalProperties: false },
);
export type CalendarCreate = Static<typeof CalendarCreate>;

export const CalendarUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(Name),
    timeZone: Type.Optional(TimeZone),
    shifts: Type.Optional(Shifts),
    exceptions: Type.Optional(Exceptions),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CalendarUpdate = Static<typeof CalendarUpdate>;

export const CalendarListQuery = MfgListQuery(
  { q: Type.Optional(Type.String({ maxLength: 100 })), active: Type.Optional(Type.Boolean()) },
  ['code', 'name', 'updatedAt'],
);
export type CalendarListQuery = Static<typeof CalendarListQuery>;

export const Interval = Type.Object({ start: Timestamp, end: Timestamp });
export type Interval = Static<typeof Interval>;

export const AvailabilityQuery = Type.Object(
  { from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time' }) },
  { additionalProperties: false },
);
export type AvailabilityQuery = Static<typeof AvailabilityQuery>;

export const CalendarAvailability = Type.Object({
  calendarId: Type.String(),
  timeZone: Type.String(),
  from: Timestamp,
  to: Timestamp,
  totalMinutes: Type.Integer(),
  intervals: Type.Array(Interval),
});
export type CalendarAvailability = Static<typeof CalendarAvailability>;

// ---- Work centers and machines ---------------------------------------------------------------

export const WorkCenter = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  calendarId: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type WorkCenter = Static<typeof WorkCenter>;

export const WorkCenterCreate = Type.Object(
  {
    code: Code,
    name: Name,
    kind: Type.Optional(Type.String({ maxLength: 60, description: 'e.g. CNC车床组' })),
    calendarId: Type.Optional(RefId),
  },
  { additionalProperties: false },
);
export type WorkCenterCreate = Static<typeof WorkCenterCreate>;

export const WorkCenterUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(Name),
    kind: Type.Optional(Type.String({ maxLength: 60 })),
    calendarId: Type.Optional(Type.Union([RefId, Type.Null()])),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type WorkCenterUpdate = Static<typeof WorkCenterUpdate>;

export const WorkCenterListQuery = MfgListQuery(
  { q: Type.Optional(Type.String({ maxLength: 100 })), active: Type.Optional(Type.Boolean()) },
  ['code', 'name', 'updatedAt'],
);
export type WorkCenterListQuery = Static<typeof WorkCenterListQuery>;

export const MachineStatus = Type.Union([
  Type.Literal('up'),
  Type.Literal('down'),
  Type.Literal('maintenance'),
]);
export type MachineStatus = Static<typeof MachineStatus>;

const Capacity = Type.Integer({ minimum: 1, maximum: 1000, description: 'parallel units' });
const Efficiency = Type.Integer({ minimum: 1, maximum: 100000, description: 'basis points, 100 % = 10000' });

export const Machine = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  workCenterId: Type.String(),
  capacity: Type.Integer(),
  efficiencyBp: Type.Integer(),
  hourlyCost: MoneyString,
  status: MachineStatus,
  calendarId: Type.Union([Type.String(), Type.Null()]),
  ...StoredCustomFields,
  active: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Machine = Static<typeof Machine>;

export const MachineCreate = Type.Object(
  {
    code: Code,
    name: Name,
    workCenterId: RefId,
    capacity: Type.Optional(Capacity),
    efficiencyBp: Type.Optional(Efficiency),
    hourlyCost: Type.Optional(MoneyString),
    status: Type.Optional(MachineStatus),
    calendarId: Type.Optional(RefId),
    ...WithCustomFields,
  },
  { additionalProperties: false },
);
export type MachineCreate = Static<typeof MachineCreate>;

export const MachineUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(Name),
    workCenterId: Type.Optional(RefId),
    capacity: Type.Optional(Capacity),
    efficiencyBp: Type.Optional(Efficiency),
    hourlyCost: Type.Optional(MoneyString),
    calendarId: Type.Optional(Type.Union([RefId, Type.Null()])),
    ...WithCustomFields,
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type MachineUpdate = Static<typeof MachineUpdate>;

export const MachineStatusChange = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    status: MachineStatus,
    reason: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type MachineStatusChange = Static<typeof MachineStatusChange>;

export const MachineListQuery = MfgListQuery(
  {
    q: Type.Optional(Type.String({ maxLength: 100 })),
    workCenterId: Type.Optional(RefId),
    status: Type.Optional(MachineStatus),
    active: Type.Optional(Type.Boolean()),
    ...CustomFieldFilter,
  },
  ['code', 'name', 'updatedAt'],
);
export type MachineListQuery = Static<typeof MachineListQuery>;

export const Downtime = Type.Object({
  id: Type.String(),
  machineId: Type.String(),
  start: Timestamp,
  end: Timestamp,
  reason: Type.String(),
  createdAt: Timestamp,
});
export type Downtime = Static<typeof Downtime>;

export const DowntimeCreate = Type.Object(
  {
    start: Type.String({ format: 'date-time' }),
    end: Type.String({ format: 'date-time' }),
    reason: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type DowntimeCreate = Static<typeof DowntimeCreate>;

export const MachineAvailability = Type.Object({
  machineId: Type.String(),
  machineCode: Type.String(),
  calendarId: Type.String(),
  timeZone: Type.String(),
  status: MachineStatus,
  capacity: Type.Integer(),
  efficiencyBp: Type.Integer(),
  from: Timestamp,
  to: Timestamp,
  totalMinutes: Type.Integer(),
  intervals: Type.Array(Interval),
});
export type MachineAvailability = Static<typeof MachineAvailability>;

export const CalendarPage = Page(Calendar);
export const WorkCenterPage = Page(WorkCenter);
export const MachinePage = Page(Machine);
