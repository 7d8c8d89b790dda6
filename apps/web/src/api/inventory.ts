import type {
  Availability,
  Balance,
  BalanceListQuery,
  CountCreate,
  Location,
  MoveCreate,
  MoveListQuery,
  PageOf,
  StockMove,
  Warehouse,
} from '@takt/contracts';
import { API, buildUrl, request } from './client.ts';
import type { SheetFormat } from './sheets.ts';

const enc = encodeURIComponent;

export const MOVE_KINDS = [
  'receipt',
  'issue',
  'return',
  'output',
  'scrap',
  'transfer',
  'shipment',
  'adjustment_in',
  'adjustment_out',
] as const;
export type MoveKindName = (typeof MOVE_KINDS)[number];

/** Which locations a move of each kind takes stock from and puts it into. */
export const MOVE_SIDES: Record<MoveKindName, { from: boolean; to: boolean; reason: boolean }> = {
  receipt: { from: false, to: true, reason: false },
  issue: { from: true, to: false, reason: false },
  return: { from: false, to: true, reason: false },
  output: { from: false, to: true, reason: false },
  scrap: { from: true, to: false, reason: true },
  transfer: { from: true, to: true, reason: false },
  shipment: { from: true, to: false, reason: false },
  adjustment_in: { from: false, to: true, reason: true },
  adjustment_out: { from: true, to: false, reason: true },
};

export interface CountResult {
  adjustments: StockMove[];
  unchanged: number;
}

export function listBalances(query: BalanceListQuery, signal?: AbortSignal): Promise<PageOf<Balance>> {
  return request<PageOf<Balance>>(`${API}/inventory/balances`, { query: { ...query }, signal });
}

export function listMoves(query: MoveListQuery, signal?: AbortSignal): Promise<PageOf<StockMove>> {
  return request<PageOf<StockMove>>(`${API}/inventory/moves`, { query: { ...query }, signal });
}

/** Download link of every balance matching the list filters. */
export const balancesExportUrl = (filters: Omit<BalanceListQuery, 'limit' | 'cursor'>, format: SheetFormat) =>
  buildUrl(`${API}/inventory/balances/export`, { ...filters, format });

/** Download link of every stock move matching the list filters. */
export const movesExportUrl = (filters: Omit<MoveListQuery, 'limit' | 'cursor'>, format: SheetFormat) =>
  buildUrl(`${API}/inventory/moves/export`, { ...filters, format });

export function postMove(body: MoveCreate): Promise<StockMove> {
  return request<StockMove>(`${API}/inventory/moves`, { method: 'POST', body });
}

export function reverseMove(id: string, reason: string): Promise<StockMove> {
  return request<StockMove>(`${API}/inventory/moves/${enc(id)}/reverse`, {
    method: 'POST',
    body: { reason },
  });
}

export function itemAvailability(itemId: string, signal?: AbortSignal): Promise<Availability> {
  return request<Availability>(`${API}/inventory/items/${enc(itemId)}/availability`, { signal });
}

export function postCount(body: CountCreate): Promise<CountResult> {
  return request<CountResult>(`${API}/inventory/counts`, { method: 'POST', body });
}

/** A location with the warehouse it belongs to, for pickers and labels. */
export interface PlaceOption extends Location {
  warehouseCode: string;
  warehouseName: string;
}

async function allPages<T>(fetchPage: (cursor: string | undefined) => Promise<PageOf<T>>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const page = await fetchPage(cursor);
    out.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return out;
}

/** Every active warehouse with its locations; a plant has tens of them, so they are read in one go. */
export async function listPlaces(
  signal?: AbortSignal,
): Promise<{ warehouses: Warehouse[]; places: PlaceOption[] }> {
  const warehouses = await allPages((cursor) =>
    request<PageOf<Warehouse>>(`${API}/warehouses`, { query: { limit: 200, cursor }, signal }),
  );
  const perWarehouse = await Promise.all(
    warehouses.map((w) =>
      allPages((cursor) =>
        request<PageOf<Location>>(`${API}/warehouses/${enc(w.id)}/locations`, {
          query: { limit: 200, cursor },
          signal,
        }),
      ).then((locations) =>
        locations.map((l) => ({ ...l, warehouseCode: w.code, warehouseName: w.name }) satisfies PlaceOption),
      ),
    ),
  );
  return { warehouses, places: perWarehouse.flat() };
}
