import type {
  Bom,
  BomCreate,
  BomUpdate,
  Calendar,
  CalendarAvailability,
  CodeRule,
  Customer,
  Employee,
  Explosion,
  Item,
  Machine,
  MachineAvailability,
  MachineStatus,
  NearDuplicates,
  PageOf,
  Routing,
  RoutingCreate,
  RoutingUpdate,
  Supplier,
  Tool,
  Warehouse,
  WhereUsed,
  WorkCenter,
} from '@takt/contracts';
import { API, type QueryValue, request } from './client.ts';

const enc = encodeURIComponent;

/** Every versioned master-data record has these. */
export interface Versioned {
  id: string;
  version: number;
  updatedAt: string;
}

export type ListParams = Record<string, QueryValue>;

/** The list / one / create / change / delete routes a master-data resource offers. */
export interface ResourceApi<T extends Versioned> {
  path: string;
  list(query: ListParams, signal?: AbortSignal): Promise<PageOf<T>>;
  get(id: string, signal?: AbortSignal): Promise<T>;
  create(body: object): Promise<T>;
  update(id: string, body: object): Promise<T>;
  remove(id: string): Promise<void>;
}

export function resource<T extends Versioned>(path: string): ResourceApi<T> {
  const base = `${API}/${path}`;
  return {
    path,
    list: (query, signal) => request<PageOf<T>>(base, { query, signal }),
    get: (id, signal) => request<T>(`${base}/${enc(id)}`, { signal }),
    create: (body) => request<T>(base, { method: 'POST', body }),
    update: (id, body) => request<T>(`${base}/${enc(id)}`, { method: 'PATCH', body }),
    remove: (id) => request<void>(`${base}/${enc(id)}`, { method: 'DELETE' }),
  };
}

export const itemsApi = resource<Item>('items');
export const customersApi = resource<Customer>('customers');
export const suppliersApi = resource<Supplier>('suppliers');
export const warehousesApi = resource<Warehouse>('warehouses');
export const employeesApi = resource<Employee>('employees');
export const toolsApi = resource<Tool>('tools');
export const workCentersApi = resource<WorkCenter>('work-centers');
export const machinesApi = resource<Machine>('machines');
export const calendarsApi = resource<Calendar>('calendars');
export const bomsApi = resource<Bom>('boms');
export const routingsApi = resource<Routing>('routings');

export function listCodeRules(signal?: AbortSignal): Promise<CodeRule[]> {
  return request(`${API}/masterdata/code-rules`, { signal });
}

export function nearDuplicates(name: string, spec: string, signal?: AbortSignal): Promise<NearDuplicates> {
  return request(`${API}/items/near-duplicates`, { query: { name, spec }, signal });
}

// ── BOMs ──
export function createBom(body: BomCreate): Promise<Bom> {
  return request(`${API}/boms`, { method: 'POST', body });
}
export function updateBom(id: string, body: BomUpdate): Promise<Bom> {
  return request(`${API}/boms/${enc(id)}`, { method: 'PATCH', body });
}
export function activateBom(id: string, version: number): Promise<Bom> {
  return request(`${API}/boms/${enc(id)}/activate`, { method: 'POST', body: { version } });
}
export function archiveBom(id: string, version: number): Promise<Bom> {
  return request(`${API}/boms/${enc(id)}/archive`, { method: 'POST', body: { version } });
}
export function explodeBom(id: string, qty: string, signal?: AbortSignal): Promise<Explosion> {
  return request(`${API}/boms/${enc(id)}/explode`, { query: { qty }, signal });
}
export function whereUsed(itemId: string, signal?: AbortSignal): Promise<WhereUsed> {
  return request(`${API}/items/${enc(itemId)}/where-used`, { signal });
}

// ── Routings ──
export function createRouting(body: RoutingCreate): Promise<Routing> {
  return request(`${API}/routings`, { method: 'POST', body });
}
export function updateRouting(id: string, body: RoutingUpdate): Promise<Routing> {
  return request(`${API}/routings/${enc(id)}`, { method: 'PATCH', body });
}
export function activateRouting(id: string, version: number): Promise<Routing> {
  return request(`${API}/routings/${enc(id)}/activate`, { method: 'POST', body: { version } });
}
export function archiveRouting(id: string, version: number): Promise<Routing> {
  return request(`${API}/routings/${enc(id)}/archive`, { method: 'POST', body: { version } });
}

// ── Machines and calendars ──
export function setMachineStatus(
  id: string,
  body: { version: number; status: MachineStatus; reason?: string },
): Promise<Machine> {
  return request(`${API}/machines/${enc(id)}/status`, { method: 'POST', body });
}
export function machineAvailability(
  id: string,
  from: string,
  to: string,
  signal?: AbortSignal,
): Promise<MachineAvailability> {
  return request(`${API}/machines/${enc(id)}/availability`, { query: { from, to }, signal });
}
export function calendarAvailability(
  id: string,
  from: string,
  to: string,
  signal?: AbortSignal,
): Promise<CalendarAvailability> {
  return request(`${API}/calendars/${enc(id)}/availability`, { query: { from, to }, signal });
}
