declare const brand: unique symbol;

/**
 * A nominal type over a primitive. The brand exists only at compile time, so a `Qty` is still a
 * number at run time but cannot be passed where `Cents` or `Minutes` are expected.
 */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type WorkOrderId = Brand<string, 'WorkOrderId'>;
export type OperationId = Brand<string, 'OperationId'>;
export type ItemId = Brand<string, 'ItemId'>;
export type WorkCenterId = Brand<string, 'WorkCenterId'>;
export type MachineId = Brand<string, 'MachineId'>;
export type LotId = Brand<string, 'LotId'>;
export type CustomerId = Brand<string, 'CustomerId'>;
export type SalesOrderLineId = Brand<string, 'SalesOrderLineId'>;
export type DemandId = Brand<string, 'DemandId'>;
export type ReceiptId = Brand<string, 'ReceiptId'>;
export type PlannedOrderId = Brand<string, 'PlannedOrderId'>;
/** A user, or a system process such as `system:mrp`; whoever caused a transition. */
export type ActorId = Brand<string, 'ActorId'>;

/** Matches the API's id limit, so an id accepted here is always storable. */
export const MAX_ID_LENGTH = 64;

function checkId(value: string, kind: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) {
    throw new TypeError(`${kind} must be a non-empty string of at most ${MAX_ID_LENGTH} characters`);
  }
  return value;
}

export const workOrderId = (v: string): WorkOrderId => checkId(v, 'WorkOrderId') as WorkOrderId;
export const operationId = (v: string): OperationId => checkId(v, 'OperationId') as OperationId;
export const itemId = (v: string): ItemId => checkId(v, 'ItemId') as ItemId;
export const workCenterId = (v: string): WorkCenterId => checkId(v, 'WorkCenterId') as WorkCenterId;
export const machineId = (v: string): MachineId => checkId(v, 'MachineId') as MachineId;
export const lotId = (v: string): LotId => checkId(v, 'LotId') as LotId;
export const customerId = (v: string): CustomerId => checkId(v, 'CustomerId') as CustomerId;
export const salesOrderLineId = (v: string): SalesOrderLineId =>
  checkId(v, 'SalesOrderLineId') as SalesOrderLineId;
export const demandId = (v: string): DemandId => checkId(v, 'DemandId') as DemandId;
export const receiptId = (v: string): ReceiptId => checkId(v, 'ReceiptId') as ReceiptId;
export const plannedOrderId = (v: string): PlannedOrderId => checkId(v, 'PlannedOrderId') as PlannedOrderId;
export const actorId = (v: string): ActorId => checkId(v, 'ActorId') as ActorId;
