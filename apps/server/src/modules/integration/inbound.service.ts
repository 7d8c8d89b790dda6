import {
  CrmSalesOrderUpsert,
  ErpCustomerUpsert,
  ItemCreate,
  WmsReceiptPosted,
  WmsShipmentPosted,
} from '@takt/contracts';
import type { TSchema } from 'typebox';
import type { Logger } from 'pino';
import { type Ctx, SYSTEM_ACTOR } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, invalidField } from '../../platform/errors.ts';
import { nowIso } from '../../platform/ids.ts';
import { fieldErrorsFromAjv, validatorCompiler } from '../../platform/http/validation.ts';
import type { InboundMessage } from '../../platform/broker/broker.ts';
import { createItem, listItems, updateItem } from '../items/item.service.ts';
import {
  type InboundHandler,
  postWmsReceipt,
  postWmsShipment,
  upsertCrmSalesOrder,
  upsertErpCustomer,
} from './inbound-handlers.ts';

/**
 * Inbound broker messages, processed once per message id: a claim row in `processed_messages` is
 * taken before the work and marked done after it, so a redelivered message is acknowledged without
 * running again. Supported: `erp.item.upsert` (`{ id, data: <item as in POST /items> }`), created or
 * updated by item code through the items service, with the HTTP validation; and the inbound business
 * messages `crm.salesorder.upsert`, `wms.receipt.posted`, `wms.shipment.posted` and
 * `erp.customer.upsert` (`{ id, externalId: <sender's id, or the customer code>, data: <HTTP PUT body> }`),
 * handled by the same functions as `PUT /api/v1/integration/inbound/...`.
 */
const CLAIM_MS = 60_000;
type Validate = ((data: unknown) => boolean) & { errors?: Parameters<typeof fieldErrorsFromAjv>[0] | null };
const validateItem = validatorCompiler({
  schema: ItemCreate as object,
  httpPart: 'body',
  method: 'POST',
  url: '/',
}) as unknown as Validate;

function brokerCtx(messageId: string): Ctx {
  return {
    actor: { ...SYSTEM_ACTOR, login: 'broker' },
    requestId: `msg:${messageId}`.slice(0, 100),
    ip: null,
    userAgent: null,
  };
}

async function claim(db: Db, m: InboundMessage): Promise<'claimed' | 'done' | 'busy'> {
  const now = nowIso();
  const until = new Date(Date.now() + CLAIM_MS).toISOString();
  const res = await db.kysely
    .insertInto('processed_messages')
    .values({
      message_id: m.id,
      source: 'broker',
      type: m.type,
      state: 'in_flight',
      locked_until: until,
      result: null,
      created_at: now,
      processed_at: null,
    })
    .onConflict((oc) => oc.column('message_id').doNothing())
    .executeTakeFirst();
  if (Number(res.numInsertedOrUpdatedRows ?? 0) > 0) return 'claimed';
  const row = await db.kysely
    .selectFrom('processed_messages')
    .selectAll()
    .where('message_id', '=', m.id)
    .executeTakeFirst();
  if (!row) return 'busy';
  if (row.state !== 'in_flight') return 'done';
  if (row.locked_until > now) return 'busy';
  // The claimer died: take the message over, unless someone else just did.
  const took = await db.kysely
    .updateTable('processed_messages')
    .set({ locked_until: until })
    .where('message_id', '=', m.id)
    .where('locked_until', '=', row.locked_until)
    .executeTakeFirst();
  return Number(took.numUpdatedRows) > 0 ? 'claimed' : 'busy';
}

async function upsertItem(db: Db, ctx: Ctx, body: unknown): Promise<unknown> {
  const data = (body as { data?: unknown } | null)?.data;
  if (!validateItem(data)) {
    throw new AppError('VALIDATION_FAILED', 'The item in the message is not valid', {
      fieldErrors: fieldErrorsFromAjv(validateItem.errors ?? [], 'body').map((f) => ({
        ...f,
        field: `/data${f.field}`,
      })),
    });
  }
  const input = data as ItemCreate;
  const page = await listItems(db, { q: input.code, limit: 500 });
  const existing = page.items.find((i) => i.code.toLowerCase() === input.code.trim().toLowerCase());
  if (!existing) return { created: (await createItem(db, ctx, input)).id };
  const { code: _code, ...fields } = input;
  return { updated: (await updateItem(db, ctx, existing.id, { ...fields, version: existing.version })).id };
}

const compile = (schema: TSchema) =>
  validatorCompiler({
    schema: schema as object,
    httpPart: 'body',
    method: 'PUT',
    url: '/',
  }) as unknown as Validate;

/**
 * A business message `{ id?, externalId, data }`: `id` (or the broker's message id) names the delivery,
 * `externalId` the record in the sender's system; `data` is checked as the HTTP body, errors under `/data`.
 */
function business<B>(schema: TSchema, what: string, handler: InboundHandler<B>) {
  const validate = compile(schema);
  return async (db: Db, ctx: Ctx, body: unknown): Promise<unknown> => {
    const message = (body ?? {}) as { externalId?: unknown; data?: unknown };
    const externalId = message.externalId;
    if (typeof externalId !== 'string' || !/^[\w.:/-]{1,100}$/.test(externalId)) {
      throw invalidField('/externalId', `is required: the ${what} (1–100 letters, digits, . : / _ -)`);
    }
    if (!validate(message.data)) {
      throw new AppError('VALIDATION_FAILED', 'The message data is not valid', {
        fieldErrors: fieldErrorsFromAjv(validate.errors ?? [], 'body').map((f) => ({
          ...f,
          field: `/data${f.field}`,
        })),
      });
    }
    try {
      return await handler(db, ctx, externalId, message.data as B);
    } catch (err) {
      if (!(err instanceof AppError) || err.fieldErrors.length === 0) throw err;
      throw new AppError(err.code, err.message, {
        fieldErrors: err.fieldErrors.map((f) => ({ ...f, field: `/data${f.field}` })),
        extra: err.extra,
      });
    }
  };
}

const HANDLERS: Record<string, (db: Db, ctx: Ctx, body: unknown) => Promise<unknown>> = {
  'erp.item.upsert': upsertItem,
  'erp.customer.upsert': business(ErpCustomerUpsert, 'customer code', upsertErpCustomer),
  'crm.salesorder.upsert': business(CrmSalesOrderUpsert, "CRM's order id", upsertCrmSalesOrder),
  'wms.receipt.posted': business(WmsReceiptPosted, "WMS's receipt id", postWmsReceipt),
  'wms.shipment.posted': business(WmsShipmentPosted, "WMS's shipment id", postWmsShipment),
};

export const INBOUND_TYPES = Object.keys(HANDLERS);

export async function processInbound(db: Db, log: Logger, m: InboundMessage): Promise<'ack' | 'retry'> {
  const claimed = await claim(db, m);
  if (claimed === 'done') return 'ack';
  if (claimed === 'busy') return 'retry';
  const finish = (state: 'done' | 'rejected', result: unknown) =>
    db.kysely
      .updateTable('processed_messages')
      .set({ state, result: JSON.stringify(result), processed_at: nowIso() })
      .where('message_id', '=', m.id)
      .execute();
  const handler = HANDLERS[m.type];
  if (!handler) {
    await finish('rejected', { code: 'UNKNOWN_TYPE', message: `No handler for ${m.type}` });
    log.warn({ messageId: m.id, type: m.type }, 'inbound message of unknown type rejected');
    return 'ack';
  }
  try {
    await finish('done', await handler(db, brokerCtx(m.id), m.body));
    return 'ack';
  } catch (err) {
    if (err instanceof AppError && err.code !== 'STALE_VERSION' && err.kind !== 'Unavailable') {
      // The sender must fix the message; trying again would fail the same way.
      await finish('rejected', { code: err.code, message: err.message, errors: err.fieldErrors });
      log.warn({ messageId: m.id, type: m.type, code: err.code }, 'inbound message rejected');
      return 'ack';
    }
    await db.kysely.deleteFrom('processed_messages').where('message_id', '=', m.id).execute();
    log.error({ err, messageId: m.id }, 'inbound message failed; it will be delivered again');
    return 'retry';
  }
}
