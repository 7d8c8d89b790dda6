import { type Static, type TSchema, Type } from 'typebox';

/** A plant-local calendar date. */
export const DateString = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'calendar date YYYY-MM-DD',
});

/** A local wall-clock time; `24:00` ends a shift at midnight. */
export const TimeOfDay = Type.String({
  pattern: '^(([01]\\d|2[0-3]):[0-5]\\d|24:00)$',
  description: 'local time HH:MM',
});

/** Basis points: 100 % is 10000. */
export const BasisPointsInt = (max: number, description: string) =>
  Type.Integer({ minimum: 0, maximum: max, description });

export const VersionStatus = Type.Union([
  Type.Literal('draft'),
  Type.Literal('active'),
  Type.Literal('archived'),
]);

export const VersionBody = Type.Object(
  { version: Type.Integer({ minimum: 1, description: 'the version read; a stale one gets 409' }) },
  { additionalProperties: false },
);

export type VersionBody = Static<typeof VersionBody>;

export const Code = Type.String({ minLength: 1, maxLength: 40 });
export const Name = Type.String({ minLength: 1, maxLength: 200 });
export const RefId = Type.String({ minLength: 1, maxLength: 64 });

/** `sort` accepts each key ascending or, with a leading `-`, descending. */
export function SortOf(keys: readonly string[]) {
  return Type.Union(keys.flatMap((k) => [Type.Literal(k), Type.Literal(`-${k}`)]));
}

export function MfgListQuery<P extends Record<string, TSchema>>(props: P, sortKeys: readonly string[]) {
  return Type.Object(
    {
      ...props,
      sort: Type.Optional(SortOf(sortKeys)),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
      cursor: Type.Optional(Type.String({ maxLength: 512 })),
    },
    { additionalProperties: false },
  );
}

export const SubIdParams = Type.Object({ id: RefId, subId: RefId }, { additionalProperties: false });

/** Response of a delete: nothing. */
export const Deleted = Type.Null({ description: 'deleted' });
