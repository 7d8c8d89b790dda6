import type { Balance, BalanceExportQuery, MoveExportQuery, StockMove } from '@takt/contracts';
import type { Db } from '../../platform/db/database.ts';
import { EXPORT_PAGE, type ExportColumn, exportPages } from '../imports/sheet-io.ts';
import { itemsByIds } from '../items/item.service.ts';
import { listBalances, listMoves } from './inventory.query.ts';

/**
 * The stock ledger and the balances as sheets, read through the lists' own functions and cursors
 * (exportPages). What the lists give as ids (items, locations, references, reversed moves) is shown
 * by its code, looked up once per page; warehouses and locations, which are few, once per export.
 */

interface ItemInfo {
  readonly code: string;
  readonly name: string;
  readonly uom: string;
}

const distinct = (ids: readonly (string | null | undefined)[]) => [
  ...new Set(ids.filter((id): id is string => typeof id === 'string' && id !== '')),
];

async function itemsOf(db: Db, ids: readonly string[]): Promise<Map<string, ItemInfo>> {
  return new Map((await itemsByIds(db.kysely, distinct(ids))).map((r) => [r.id, r]));
}

/** Rows of a small table by id, read as pages ask for them and kept for the rest of the export. */
function keptLookup<V>(read: (ids: string[]) => Promise<readonly (readonly [string, V])[]>) {
  const kept = new Map<string, V>();
  return async (ids: readonly (string | null | undefined)[]): Promise<ReadonlyMap<string, V>> => {
    const missing = distinct(ids).filter((id) => !kept.has(id));
    if (missing.length > 0) for (const [id, v] of await read(missing)) kept.set(id, v);
    return kept;
  };
}

/** `WAREHOUSE/LOCATION` by location id (location codes are unique within their warehouse only). */
const locationPlaces = (db: Db) =>
  keptLookup(async (ids) =>
    (
      await db.kysely
        .selectFrom('locations as l')
        .innerJoin('warehouses as w', 'w.id', 'l.warehouse_id')
        .select(['l.id', 'l.code', 'w.code as warehouse_code'])
        .where('l.id', 'in', ids)
        .execute()
    ).map((r) => [r.id, `${r.warehouse_code}/${r.code}`] as const),
  );

const warehouseCodes = (db: Db) =>
  keptLookup(async (ids) =>
    (await db.kysely.selectFrom('warehouses').select(['id', 'code']).where('id', 'in', ids).execute()).map(
      (r) => [r.id, r.code] as const,
    ),
  );

/** The code of each referenced document the ledger knows (work orders, archived too; POs; shipments). */
async function referenceCodes(db: Db, moves: readonly StockMove[]): Promise<Map<string, string>> {
  const ofType = (type: string) => distinct(moves.map((m) => (m.ref?.type === type ? m.ref.id : null)));
  const k = db.kysely;
  const workOrders = ofType('work_order');
  const purchaseOrders = ofType('purchase_order');
  const shipments = ofType('shipment');
  const found = await Promise.all([
    workOrders.length > 0
      ? k.selectFrom('work_orders').select(['id', 'code']).where('id', 'in', workOrders).execute()
      : [],
    workOrders.length > 0
      ? k.selectFrom('work_orders_archive').select(['id', 'code']).where('id', 'in', workOrders).execute()
      : [],
    purchaseOrders.length > 0
      ? k.selectFrom('purchase_orders').select(['id', 'code']).where('id', 'in', purchaseOrders).execute()
      : [],
    shipments.length > 0
      ? k.selectFrom('shipments').select(['id', 'code']).where('id', 'in', shipments).execute()
      : [],
  ]);
  return new Map(found.flat().map((r) => [r.id, r.code]));
}

/** The ledger sequence number of each reversed move (archived ones too). */
async function reversedSeqs(db: Db, moves: readonly StockMove[]): Promise<Map<string, number>> {
  const ids = distinct(moves.map((m) => m.reversesId));
  if (ids.length === 0) return new Map();
  const rows = await db.kysely
    .selectFrom('stock_moves_all')
    .select(['id', 'seq'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, Number(r.seq)]));
}

type MoveRow = StockMove & {
  readonly item: ItemInfo | undefined;
  readonly from: string;
  readonly to: string;
  readonly refCode: string;
  readonly reversesSeq: number | undefined;
};

const MOVE_COLUMNS: readonly ExportColumn<MoveRow>[] = [
  { header: '序号 Seq', width: 10, value: (m) => String(m.seq) },
  { header: '时间 Time', width: 22, value: (m) => m.createdAt },
  { header: '类型 Kind', width: 14, value: (m) => m.kind },
  { header: '物料编码 Item', width: 16, value: (m) => m.item?.code },
  { header: '物料名称 Item name', width: 24, value: (m) => m.item?.name },
  { header: '数量 Qty', width: 10, value: (m) => m.qty },
  { header: '单位 UoM', width: 6, value: (m) => m.item?.uom },
  { header: '从库位 From', width: 16, value: (m) => m.from },
  { header: '到库位 To', width: 16, value: (m) => m.to },
  { header: '批次 Lot', width: 14, value: (m) => m.lot },
  { header: '单据类型 Ref type', width: 14, value: (m) => m.ref?.type },
  { header: '单据 Reference', width: 18, value: (m) => m.refCode },
  { header: '冲销序号 Reverses seq', width: 10, value: (m) => m.reversesSeq },
  { header: '原因 Reason', width: 24, value: (m) => m.reason },
];

/**
 * Stock moves matching the ledger list's filters (`archived: true`: the archive's), newest first,
 * streamed as a sheet.
 */
export async function exportMoves(db: Db, query: MoveExportQuery, batch = EXPORT_PAGE) {
  const { format = 'xlsx', ...filters } = query;
  const places = locationPlaces(db);
  return exportPages<MoveRow>({
    format,
    sheetName: filters.archived ? 'Archived stock moves 归档库存流水' : 'Stock moves 库存流水',
    columns: MOVE_COLUMNS,
    async page(cursor) {
      const page = await listMoves(db, { ...filters, limit: batch, ...(cursor ? { cursor } : {}) });
      const moves = page.items;
      const [items, locations, refs, reversed] = await Promise.all([
        itemsOf(
          db,
          moves.map((m) => m.itemId),
        ),
        places(moves.flatMap((m) => [m.fromLocationId, m.toLocationId])),
        referenceCodes(db, moves),
        reversedSeqs(db, moves),
      ]);
      const place = (id: string | null) => (id ? (locations.get(id) ?? id) : '');
      return {
        items: moves.map((m) => ({
          ...m,
          item: items.get(m.itemId),
          from: place(m.fromLocationId),
          to: place(m.toLocationId),
          refCode: m.ref ? (refs.get(m.ref.id) ?? m.ref.id) : '',
          reversesSeq: m.reversesId ? reversed.get(m.reversesId) : undefined,
        })),
        nextCursor: page.nextCursor,
      };
    },
  });
}

type BalanceRow = Balance & { readonly item: ItemInfo | undefined; readonly warehouseCode: string };

const BALANCE_COLUMNS: readonly ExportColumn<BalanceRow>[] = [
  { header: '物料编码 Item', width: 16, value: (b) => b.itemCode },
  { header: '物料名称 Item name', width: 24, value: (b) => b.item?.name },
  { header: '单位 UoM', width: 6, value: (b) => b.item?.uom },
  { header: '仓库 Warehouse', width: 12, value: (b) => b.warehouseCode },
  { header: '库位 Location', width: 12, value: (b) => b.locationCode },
  { header: '批次 Lot', width: 14, value: (b) => b.lot },
  { header: '在库 On hand', width: 12, value: (b) => b.onHand },
  { header: '最后变动 Last moved', width: 22, value: (b) => b.updatedAt },
];

/** Stock on hand matching the balance list's filters, in its order (item, location, lot), as a sheet. */
export async function exportBalances(db: Db, query: BalanceExportQuery, batch = EXPORT_PAGE) {
  const { format = 'xlsx', ...filters } = query;
  const warehouses = warehouseCodes(db);
  return exportPages<BalanceRow>({
    format,
    sheetName: 'Stock on hand 库存',
    columns: BALANCE_COLUMNS,
    async page(cursor) {
      const page = await listBalances(db, { ...filters, limit: batch, ...(cursor ? { cursor } : {}) });
      const [items, codes] = await Promise.all([
        itemsOf(
          db,
          page.items.map((b) => b.itemId),
        ),
        warehouses(page.items.map((b) => b.warehouseId)),
      ]);
      return {
        items: page.items.map((b) => ({
          ...b,
          item: items.get(b.itemId),
          warehouseCode: codes.get(b.warehouseId) ?? b.warehouseId,
        })),
        nextCursor: page.nextCursor,
      };
    },
  });
}
