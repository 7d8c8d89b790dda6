import { type Static, type TObject, type TProperties, Type } from 'typebox';
import { Page, Timestamp } from './common.ts';
import { CustomFieldFilter, StoredCustomFields, WithCustomFields } from './custom-fields.ts';
import { MoneyString, QtyString } from './items.ts';

/** Entities whose codes follow an administrator-set rule. */
export const CodeEntity = Type.Union([
  Type.Literal('items'),
  Type.Literal('customers'),
  Type.Literal('suppliers'),
  Type.Literal('warehouses'),
  Type.Literal('employees'),
  Type.Literal('tools'),
]);
export type CodeEntity = Static<typeof CodeEntity>;
export const CodeEntityParams = Type.Object({ entity: CodeEntity }, { additionalProperties: false });
export type CodeEntityParams = Static<typeof CodeEntityParams>;

export const CodeRule = Type.Object({
  entity: CodeEntity,
  pattern: Type.String({ description: 'regular expression the whole normalised code must match' }),
  description: Type.String(),
  upperCase: Type.Boolean(),
  example: Type.String(),
  /** 0 while the built-in default applies. */
  version: Type.Integer(),
  custom: Type.Boolean({ description: 'false while the built-in default applies' }),
  updatedAt: Type.Union([Timestamp, Type.Null()]),
});
export type CodeRule = Static<typeof CodeRule>;

export const CodeRuleUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 0, description: 'the version read (0 for the built-in default)' }),
    pattern: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 200 })),
    upperCase: Type.Optional(Type.Boolean()),
    example: Type.String({ minLength: 1, maxLength: 40 }),
  },
  { additionalProperties: false },
);
export type CodeRuleUpdate = Static<typeof CodeRuleUpdate>;

export const ComplianceReport = Type.Object({
  checkedAt: Timestamp,
  violations: Type.Array(
    Type.Object({
      entity: CodeEntity,
      id: Type.String(),
      code: Type.String(),
      problem: Type.Union([Type.Literal('pattern'), Type.Literal('not_normalised')]),
      message: Type.String(),
    }),
  ),
  duplicateGroups: Type.Array(
    Type.Object({
      entity: CodeEntity,
      kind: Type.Union([Type.Literal('code'), Type.Literal('name')]),
      key: Type.String(),
      codes: Type.Array(Type.String()),
      ids: Type.Array(Type.String(), { description: 'record ids, in the order of codes' }),
    }),
  ),
});
export type ComplianceReport = Static<typeof ComplianceReport>;

export const AuditEntry = Type.Object({
  id: Type.String(),
  at: Timestamp,
  actorType: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  diff: Type.Record(Type.String(), Type.Unknown()),
  requestId: Type.Union([Type.String(), Type.Null()]),
});
export type AuditEntry = Static<typeof AuditEntry>;
export const AuditPage = Page(AuditEntry);

const Sort = Type.Union([
  Type.Literal('code'),
  Type.Literal('-code'),
  Type.Literal('name'),
  Type.Literal('-name'),
  Type.Literal('updatedAt'),
  Type.Literal('-updatedAt'),
]);

/** A list query: text search, active filter, sort and cursor, plus the entity's own filters. */
export function listQuery<P extends TProperties>(extra: P) {
  return Type.Object(
    {
      q: Type.Optional(Type.String({ maxLength: 100, description: 'code or name contains' })),
      active: Type.Optional(Type.Boolean()),
      sort: Type.Optional(Sort),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
      cursor: Type.Optional(Type.String({ maxLength: 512 })),
      ...extra,
    },
    { additionalProperties: false },
  );
}
export type ListQuery = {
  q?: string;
  active?: boolean;
  sort?: string;
  limit?: number;
  cursor?: string;
};

export const Code = Type.String({ minLength: 1, maxLength: 40 });
export const Name = Type.String({ minLength: 1, maxLength: 200 });
export const Text = (max: number) => Type.String({ maxLength: max });
const Days = Type.Integer({ minimum: 0, maximum: 3650 });
const Version = Type.Integer({ minimum: 1, description: 'the version read; a stale one gets 409' });
export const Stamps = {
  active: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

/** Update = every create field optional, plus the version read and `active`. */
export function updateOf<P extends TProperties>(create: TObject<P>) {
  return Type.Object(
    { version: Version, ...Type.Partial(create).properties, active: Type.Optional(Type.Boolean()) },
    { additionalProperties: false },
  );
}

export const Contact = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    phone: Type.Optional(Text(40)),
    email: Type.Optional(Text(200)),
  },
  { additionalProperties: false },
);
export type Contact = Static<typeof Contact>;
const Contacts = Type.Array(Contact, { maxItems: 20 });

// Customers
export const Tier = Type.Union([Type.Literal('A'), Type.Literal('B'), Type.Literal('C')]);
export const Customer = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  tier: Tier,
  contacts: Contacts,
  address: Type.String(),
  ...StoredCustomFields,
  ...Stamps,
});
export type Customer = Static<typeof Customer>;
export const CustomerCreate = Type.Object(
  {
    code: Code,
    name: Name,
    tier: Type.Optional(Tier),
    contacts: Type.Optional(Contacts),
    address: Type.Optional(Text(300)),
    ...WithCustomFields,
  },
  { additionalProperties: false },
);
export type CustomerCreate = Static<typeof CustomerCreate>;
export const CustomerUpdate = updateOf(CustomerCreate);
export type CustomerUpdate = Static<typeof CustomerUpdate>;
export const CustomerListQuery = listQuery({ tier: Type.Optional(Tier), ...CustomFieldFilter });
export type CustomerListQuery = Static<typeof CustomerListQuery>;
export const CustomerPage = Page(Customer);

// Suppliers
export const SupplierItem = Type.Object({
  itemId: Type.String(),
  itemCode: Type.String(),
  itemName: Type.String(),
  supplierPartNo: Type.String(),
  price: MoneyString,
  currency: Type.String(),
  leadDays: Type.Union([Type.Integer(), Type.Null()]),
  moq: QtyString,
});
export const SupplierItemInput = Type.Object(
  {
    itemId: Type.String({ minLength: 1, maxLength: 64 }),
    supplierPartNo: Type.Optional(Text(60)),
    price: MoneyString,
    currency: Type.Optional(Type.String({ pattern: '^[A-Za-z]{3}$', description: 'ISO 4217, default CNY' })),
    leadDays: Type.Optional(Type.Union([Days, Type.Null()])),
    moq: Type.Optional(QtyString),
  },
  { additionalProperties: false },
);
export type SupplierItemInput = Static<typeof SupplierItemInput>;
export const Supplier = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  leadDays: Type.Integer(),
  contacts: Contacts,
  address: Type.String(),
  items: Type.Array(SupplierItem),
  ...StoredCustomFields,
  ...Stamps,
});
export type Supplier = Static<typeof Supplier>;
export const SupplierCreate = Type.Object(
  {
    code: Code,
    name: Name,
    leadDays: Type.Optional(Days),
    contacts: Type.Optional(Contacts),
    address: Type.Optional(Text(300)),
    items: Type.Optional(
      Type.Array(SupplierItemInput, { maxItems: 500, description: 'replaces the whole list when sent' }),
    ),
    ...WithCustomFields,
  },
  { additionalProperties: false },
);
export type SupplierCreate = Static<typeof SupplierCreate>;
export const SupplierUpdate = updateOf(SupplierCreate);
export type SupplierUpdate = Static<typeof SupplierUpdate>;
export const SupplierListQuery = listQuery({
  itemId: Type.Optional(Type.String({ maxLength: 64, description: 'suppliers of this item' })),
  ...CustomFieldFilter,
});
export type SupplierListQuery = Static<typeof SupplierListQuery>;
export const SupplierPage = Page(Supplier);

// Warehouses and locations
export const Warehouse = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  address: Type.String(),
  ...Stamps,
});
export type Warehouse = Static<typeof Warehouse>;
export const WarehouseCreate = Type.Object(
  { code: Code, name: Name, address: Type.Optional(Text(300)) },
  { additionalProperties: false },
);
export type WarehouseCreate = Static<typeof WarehouseCreate>;
export const WarehouseUpdate = updateOf(WarehouseCreate);
export type WarehouseUpdate = Static<typeof WarehouseUpdate>;
export const WarehouseListQuery = listQuery({});
export type WarehouseListQuery = Static<typeof WarehouseListQuery>;
export const WarehousePage = Page(Warehouse);

export const LocationKind = Type.Union([
  Type.Literal('storage'),
  Type.Literal('line_side'),
  Type.Literal('receiving'),
  Type.Literal('shipping'),
  Type.Literal('quarantine'),
]);
export const Location = Type.Object({
  id: Type.String(),
  warehouseId: Type.String(),
  code: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  ...Stamps,
});
export type Location = Static<typeof Location>;
export const LocationCreate = Type.Object(
  { code: Code, name: Name, kind: LocationKind },
  { additionalProperties: false },
);
export type LocationCreate = Static<typeof LocationCreate>;
export const LocationUpdate = updateOf(LocationCreate);
export type LocationUpdate = Static<typeof LocationUpdate>;
export const LocationListQuery = listQuery({ kind: Type.Optional(LocationKind) });
export type LocationListQuery = Static<typeof LocationListQuery>;
export const LocationPage = Page(Location);
export const LocationParams = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    locationId: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
);
