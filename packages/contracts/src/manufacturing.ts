/**
 * Manufacturing master data: calendars, work centers and machines, BOMs and routings. These feed MRP
 * (BOM structure) and the finite-capacity scheduler (machines, availability, routing durations).
 */
export { Deleted, SubIdParams, VersionBody, VersionStatus } from './manufacturing/common.ts';
export * from './manufacturing/resources.ts';
export * from './manufacturing/boms.ts';
export * from './manufacturing/routings.ts';
