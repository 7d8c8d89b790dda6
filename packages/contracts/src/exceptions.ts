import { type Static, Type } from 'typebox';
import { Timestamp } from './common.ts';

export const ExceptionKind = Type.Union([
  Type.Literal('breakdown'),
  Type.Literal('shortage'),
  Type.Literal('quality'),
  Type.Literal('tooling'),
]);

const Ref = Type.String({ minLength: 1, maxLength: 64 });

export const ExceptionRaise = Type.Object(
  {
    kind: ExceptionKind,
    machineId: Type.Optional(Ref),
    itemId: Type.Optional(Ref),
    workOrderId: Type.Optional(Ref),
    operationId: Type.Optional(Ref),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
    photo: Type.Optional(
      Type.String({
        maxLength: 1_400_000,
        pattern: '^data:image/(jpeg|png|webp);base64,',
        description: 'a data URL, at most ~1 MB',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ExceptionRaise = Static<typeof ExceptionRaise>;

export const ExceptionUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    action: Type.Union([Type.Literal('acknowledge'), Type.Literal('assign'), Type.Literal('resolve')]),
    owner: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    resolution: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type ExceptionUpdate = Static<typeof ExceptionUpdate>;

export const FloorException = Type.Object({
  id: Type.String(),
  code: Type.String(),
  kind: Type.String(),
  state: Type.String(),
  machineId: Type.Union([Type.String(), Type.Null()]),
  itemId: Type.Union([Type.String(), Type.Null()]),
  workOrderId: Type.Union([Type.String(), Type.Null()]),
  operationId: Type.Union([Type.String(), Type.Null()]),
  note: Type.String(),
  hasPhoto: Type.Boolean(),
  affected: Type.Array(Type.Object({ type: Type.String(), id: Type.String(), code: Type.String() })),
  raisedBy: Type.Union([Type.String(), Type.Null()]),
  owner: Type.Union([Type.String(), Type.Null()]),
  raisedAt: Timestamp,
  acknowledgedAt: Type.Union([Timestamp, Type.Null()]),
  resolvedAt: Type.Union([Timestamp, Type.Null()]),
  resolution: Type.Union([Type.String(), Type.Null()]),
  minutesToResolve: Type.Union([Type.Integer(), Type.Null()]),
  version: Type.Integer(),
});
export type FloorException = Static<typeof FloorException>;

export const ExceptionListQuery = Type.Object(
  {
    state: Type.Optional(
      Type.Union([Type.Literal('open'), Type.Literal('acknowledged'), Type.Literal('resolved')]),
    ),
    kind: Type.Optional(ExceptionKind),
    machineId: Type.Optional(Ref),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);
export type ExceptionListQuery = Static<typeof ExceptionListQuery>;
