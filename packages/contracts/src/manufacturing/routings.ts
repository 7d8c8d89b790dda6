import { type Static, Type } from 'typebox';
import { Page, Timestamp } from '../common.ts';
import { QtyString } from '../items.ts';
import { DateString, MfgListQuery, RefId, VersionStatus } from './common.ts';

const Label = Type.String({ minLength: 1, maxLength: 40 });
const Seq = Type.Integer({ minimum: 1, maximum: 9999 });
const WholeMinutes = Type.Integer({ minimum: 0, maximum: 100000 });
/** Minutes per unit with up to three decimals (0.125), stored exactly as thousandths of a minute. */
export const RunMinutes = Type.String({
  pattern: '^\\d{1,7}(\\.\\d{1,3})?$',
  description: 'minutes per unit, up to 3 decimals',
});

export const RoutingAlternativeInput = Type.Object(
  {
    machineId: RefId,
    runMinutes: RunMinutes,
    setupMinutes: Type.Optional(WholeMinutes),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 99, description: 'lower is preferred' })),
  },
  { additionalProperties: false },
);
export type RoutingAlternativeInput = Static<typeof RoutingAlternativeInput>;

/** A link to work instructions or a drawing, opened from the terminal and printed on the traveler. */
const LinkUrl = Type.String({ maxLength: 500, pattern: '^(https?://|/)\\S*$' });

const OperationFields = {
  seq: Seq,
  name: Type.String({ minLength: 1, maxLength: 100 }),
  workCenterId: RefId,
  setupMinutes: Type.Optional(WholeMinutes),
  runMinutes: RunMinutes,
  transferBatch: Type.Optional(Type.Union([QtyString, Type.Null()])),
  skillCode: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 40 }), Type.Null()])),
  skillLevel: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 9 }), Type.Null()])),
  toolCode: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 40 }), Type.Null()])),
  waitMinutes: Type.Optional(WholeMinutes),
  overlap: Type.Optional(Type.Boolean({ description: 'the next operation may start before this one ends' })),
  inspection: Type.Optional(Type.Boolean({ description: 'first-article inspection required' })),
  instructionsUrl: Type.Optional(Type.Union([LinkUrl, Type.Null()])),
  drawingUrl: Type.Optional(Type.Union([LinkUrl, Type.Null()])),
  predecessors: Type.Optional(
    Type.Array(Seq, {
      maxItems: 50,
      description: 'seq numbers this operation waits for; omitted = the previous operation in sequence',
    }),
  ),
  alternatives: Type.Optional(
    Type.Array(RoutingAlternativeInput, {
      maxItems: 50,
      description:
        'machines that may run it, each with its own times; none = every machine of the work center',
    }),
  ),
};

export const RoutingOperationInput = Type.Object(OperationFields, { additionalProperties: false });
export type RoutingOperationInput = Static<typeof RoutingOperationInput>;

export const RoutingAlternative = Type.Object({
  machineId: Type.String(),
  runMinutes: RunMinutes,
  setupMinutes: Type.Union([Type.Integer(), Type.Null()]),
  priority: Type.Integer(),
});

export const RoutingOperation = Type.Object({
  id: Type.String(),
  seq: Type.Integer(),
  name: Type.String(),
  workCenterId: Type.String(),
  setupMinutes: Type.Integer(),
  runMinutes: RunMinutes,
  transferBatch: Type.Union([QtyString, Type.Null()]),
  skillCode: Type.Union([Type.String(), Type.Null()]),
  skillLevel: Type.Union([Type.Integer(), Type.Null()]),
  toolCode: Type.Union([Type.String(), Type.Null()]),
  waitMinutes: Type.Integer(),
  overlap: Type.Boolean(),
  inspection: Type.Boolean(),
  instructionsUrl: Type.Union([Type.String(), Type.Null()]),
  drawingUrl: Type.Union([Type.String(), Type.Null()]),
  predecessors: Type.Array(Type.Integer()),
  alternatives: Type.Array(RoutingAlternative),
});
export type RoutingOperation = Static<typeof RoutingOperation>;

export const Routing = Type.Object({
  id: Type.String(),
  itemId: Type.String(),
  itemCode: Type.String(),
  versionLabel: Type.String(),
  effectiveFrom: Type.Union([Type.String(), Type.Null()]),
  effectiveTo: Type.Union([Type.String(), Type.Null()]),
  status: VersionStatus,
  operations: Type.Array(RoutingOperation),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Routing = Static<typeof Routing>;

const Operations = Type.Array(RoutingOperationInput, { minItems: 1, maxItems: 200 });

export const RoutingCreate = Type.Object(
  {
    itemId: RefId,
    versionLabel: Label,
    effectiveFrom: Type.Optional(DateString),
    effectiveTo: Type.Optional(DateString),
    operations: Operations,
  },
  { additionalProperties: false },
);
export type RoutingCreate = Static<typeof RoutingCreate>;

export const RoutingUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    versionLabel: Type.Optional(Label),
    effectiveFrom: Type.Optional(Type.Union([DateString, Type.Null()])),
    effectiveTo: Type.Optional(Type.Union([DateString, Type.Null()])),
    operations: Type.Optional(Operations),
  },
  { additionalProperties: false },
);
export type RoutingUpdate = Static<typeof RoutingUpdate>;

export const RoutingListQuery = MfgListQuery(
  {
    itemId: Type.Optional(RefId),
    status: Type.Optional(VersionStatus),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'item code contains' })),
  },
  ['itemCode', 'updatedAt'],
);
export type RoutingListQuery = Static<typeof RoutingListQuery>;

export const MachineDuration = Type.Object({
  machineId: Type.String(),
  machineCode: Type.String(),
  alternative: Type.Boolean({
    description: 'listed on the operation rather than taken from the work center',
  }),
  priority: Type.Integer(),
  efficiencyBp: Type.Integer(),
  setupMinutes: Type.Integer(),
  runMinutes: Type.Integer({ description: 'rounded up to whole minutes after efficiency' }),
  totalMinutes: Type.Integer(),
});
export type MachineDuration = Static<typeof MachineDuration>;

export const RoutingDuration = Type.Object({
  routingId: Type.String(),
  qty: QtyString,
  operations: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      name: Type.String(),
      workCenterId: Type.String(),
      predecessors: Type.Array(Type.Integer()),
      waitMinutes: Type.Integer(),
      overlap: Type.Boolean(),
      transferBatch: Type.Union([QtyString, Type.Null()]),
      machines: Type.Array(MachineDuration),
    }),
  ),
});
export type RoutingDuration = Static<typeof RoutingDuration>;

export const RoutingPage = Page(Routing);
