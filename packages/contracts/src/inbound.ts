import { type Static, Type } from 'typebox';
import { MoneyString, QtyString } from './items.ts';
import { Code, Contact, Name, Tier } from './masterdata.ts';

/**
 * Inbound business messages from CRM, WMS and ERP systems, the same over HTTP
 * (`PUT /api/v1/integration/inbound/...`) and the broker (`{ id: <external id>, data: <body> }`).
 * Records are named by their codes in the sending system's terms; each message is applied once per
 * external id and body.
 */
const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'calendar date YYYY-MM-DD' });
const LotCode = Type.String({ minLength: 1, maxLength: 60 });

export const ExternalIdParams = Type.Object(
  { externalId: Type.String({ minLength: 1, maxLength: 100, pattern: '^[\\w.:/-]+$' }) },
  { additionalProperties: false },
);
export type ExternalIdParams = Static<typeof ExternalIdParams>;

export const CustomerCodeParams = Type.Object({ code: Code }, { additionalProperties: false });
export type CustomerCodeParams = Static<typeof CustomerCodeParams>;

export const CrmSalesOrderUpsert = Type.Object(
  {
    customerCode: Code,
    customerPo: Type.Optional(Type.String({ maxLength: 60, description: "the customer's PO number" })),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    dueDate: Type.Optional(DateOnly),
    note: Type.Optional(Type.String({ maxLength: 500 })),
    lines: Type.Array(
      Type.Object(
        {
          itemCode: Code,
          qty: QtyString,
          unitPrice: MoneyString,
          pricePer: Type.Optional(QtyString),
          requestedDate: Type.Optional(DateOnly),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);
export type CrmSalesOrderUpsert = Static<typeof CrmSalesOrderUpsert>;

export const WmsReceiptPosted = Type.Object(
  {
    /** Against a purchase order: its number, and `lineNo` on every line. */
    poNumber: Type.Optional(Code),
    warehouseCode: Code,
    locationCode: Code,
    note: Type.Optional(Type.String({ maxLength: 200 })),
    lines: Type.Array(
      Type.Object(
        {
          lineNo: Type.Optional(Type.Integer({ minimum: 1, description: 'purchase order line' })),
          itemCode: Type.Optional(
            Type.String({ minLength: 1, maxLength: 40, description: 'unplanned receipts' }),
          ),
          qty: QtyString,
          lot: Type.Optional(LotCode),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);
export type WmsReceiptPosted = Static<typeof WmsReceiptPosted>;

export const WmsShipmentPosted = Type.Object(
  {
    /** The sales order: its number, or the CRM's external id it was created under. */
    salesOrderCode: Type.Optional(Code),
    crmOrderId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    warehouseCode: Code,
    locationCode: Code,
    note: Type.Optional(Type.String({ maxLength: 300 })),
    lines: Type.Array(
      Type.Object(
        { lineNo: Type.Integer({ minimum: 1 }), qty: QtyString, lot: Type.Optional(LotCode) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);
export type WmsShipmentPosted = Static<typeof WmsShipmentPosted>;

export const ErpCustomerUpsert = Type.Object(
  {
    name: Name,
    tier: Type.Optional(Tier),
    contacts: Type.Optional(Type.Array(Contact, { maxItems: 20 })),
    address: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);
export type ErpCustomerUpsert = Static<typeof ErpCustomerUpsert>;

export const InboundResult = Type.Object({
  system: Type.String(),
  kind: Type.String(),
  externalId: Type.String(),
  internalId: Type.String({ description: 'the record it became (order, receipt, move, shipment, customer)' }),
  outcome: Type.Union([Type.Literal('created'), Type.Literal('updated'), Type.Literal('posted')]),
  /** The record's code or number, where it has one. */
  code: Type.Union([Type.String(), Type.Null()]),
  /** Every record the message wrote (e.g. one stock move per unplanned receipt line). */
  ids: Type.Array(Type.String()),
  /** True when this exact message had been applied before and nothing was done again. */
  replayed: Type.Boolean(),
});
export type InboundResult = Static<typeof InboundResult>;
