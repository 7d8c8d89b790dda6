import { API, buildUrl, request } from './client.ts';

/** Management reports (GET /reports/…): figures are plain numbers, money in currency units, times in minutes. */
export type GroupBy = 'day' | 'week' | 'month';
export interface ReportRange {
  from: string;
  to: string;
  groupBy: GroupBy;
}

type Pct = number | null;

/** Sales money per currency (the orders' own, never converted or added up), by currency code. */
export type CurrencyValues = { currency: string; value: number }[];

export interface DeliveryReport {
  from: string;
  to: string;
  groupBy: GroupBy;
  totals: {
    delivered: number;
    onTime: number;
    late: number;
    onTimePct: Pct;
    qty: number;
    values: CurrencyValues;
  };
  periods: {
    period: string;
    delivered: number;
    onTime: number;
    late: number;
    onTimePct: Pct;
    qty: number;
    /** One entry for each currency of the range (zero where none). */
    values: CurrencyValues;
  }[];
  backlog: {
    orders: number;
    lines: number;
    qty: number;
    overdueLines: number;
    overdueQty: number;
    values: { currency: string; value: number; overdueValue: number }[];
  };
}

interface Output {
  orders: number;
  planned: number;
  good: number;
  scrap: number;
  scrapRatePct: Pct;
}

export interface ProductionReport {
  from: string;
  to: string;
  groupBy: GroupBy;
  totals: Output;
  periods: (Output & { period: string })[];
  scrapReasons: { reason: string | null; reports: number; scrap: number }[];
  wip: {
    orders: number;
    qty: number;
    good: number;
    value: number;
    byStatus: { status: string; orders: number; qty: number; good: number; value: number }[];
  };
}

interface Valued {
  items: number;
  qty: number;
  value: number;
  sharePct: Pct;
}

export interface InventoryReport {
  asOf: string;
  totals: { items: number; qty: number; value: number; uncostedItems: number };
  byType: (Valued & { type: string })[];
  byWarehouse: (Valued & { id: string; code: string; name: string })[];
  topItems: {
    id: string;
    code: string;
    name: string;
    type: string;
    uom: string;
    standardCost: number;
    qty: number;
    value: number;
    sharePct: Pct;
  }[];
}

interface Times {
  availableMinutes: number;
  reportedMinutes: number;
  plannedMinutes: number;
  utilisationPct: Pct;
  plannedLoadPct: Pct;
}

export interface UtilisationReport {
  from: string;
  to: string;
  groupBy: GroupBy;
  windowEnd: string;
  totals: Times & { machines: number; machinesWithoutCalendar: number };
  periods: (Times & { period: string })[];
  workCenters: (Times & { id: string; code: string; name: string; machines: number })[];
  machines: (Omit<Times, 'availableMinutes'> & {
    id: string;
    code: string;
    name: string;
    workCenterId: string;
    workCenterCode: string;
    capacity: number;
    availableMinutes: number | null;
    reports: number;
  })[];
}

export type RangedReport = 'delivery' | 'production' | 'utilisation';
export type ReportName = RangedReport | 'inventory';

const query = (range: ReportRange) => ({ from: range.from, to: range.to, groupBy: range.groupBy });

export const getDeliveryReport = (range: ReportRange, signal?: AbortSignal) =>
  request<DeliveryReport>(`${API}/reports/delivery`, { query: query(range), signal });
export const getProductionReport = (range: ReportRange, signal?: AbortSignal) =>
  request<ProductionReport>(`${API}/reports/production`, { query: query(range), signal });
export const getUtilisationReport = (range: ReportRange, signal?: AbortSignal) =>
  request<UtilisationReport>(`${API}/reports/utilisation`, { query: query(range), signal });
export const getInventoryReport = (signal?: AbortSignal) =>
  request<InventoryReport>(`${API}/reports/inventory`, { signal });

/** The workbook is a plain GET (the session cookie authorizes it), so a link downloads it. */
export const reportExportUrl = (name: ReportName, range: ReportRange) =>
  name === 'inventory'
    ? `${API}/reports/inventory/export`
    : buildUrl(`${API}/reports/${name}/export`, query(range));
