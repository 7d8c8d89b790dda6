/**
 * Time in the scheduler is integer minutes counted from the horizon origin (minute 0).
 *
 * `Minutes` is a plain alias rather than a nominal brand so that problems can be written as
 * literals and parsed from JSON without casts; every field that carries this type is in minutes.
 */
export type Minutes = number;

/**
 * End of time. Used as the open end of "always available" calendars and as "no deadline".
 * It is the largest int32 so that times fit in `Int32Array`s (2^31 minutes is ~4000 years).
 */
export const FOREVER: Minutes = 2_147_483_647;

/** Index of an operation, machine, job… inside a compiled problem (not an id from the caller). */
export type Index = number;
