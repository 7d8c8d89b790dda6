import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { DeliveryReport, InventoryReport, ProductionReport } from './reports.service.ts';
import type { UtilisationReport } from './reports.utilisation.ts';

/**
 * Reports as workbooks: one sheet per table of the report, headers in Chinese and English, numbers as
 * numbers (so the sheet sums and charts them) and the same figures as the JSON answer. Written
 * to the response as the zip is produced.
 */
type Cell = string | number | null;
interface Sheet {
  readonly name: string;
  readonly columns: readonly (readonly [header: string, width: number])[];
  readonly rows: readonly (readonly Cell[])[];
}

export function workbookStream(sheets: readonly Sheet[]): Readable {
  const out = new PassThrough({ highWaterMark: 64 * 1024 });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const run = async () => {
    for (const s of sheets) {
      const sheet = workbook.addWorksheet(s.name, { views: [{ state: 'frozen', ySplit: 1 }] });
      sheet.columns = s.columns.map(([, width]) => ({ width }));
      const header = sheet.addRow(s.columns.map(([h]) => h));
      header.font = { bold: true };
      header.commit();
      for (const row of s.rows) sheet.addRow([...row]).commit();
      sheet.commit();
    }
    await workbook.commit();
  };
  run().catch((err: Error) => out.destroy(err));
  return out;
}

const PERIOD: readonly [string, number] = ['期间 Period', 12];

export function deliverySheets(r: DeliveryReport): Sheet[] {
  const b = r.backlog;
  // One value column per currency: amounts of different currencies are never added up.
  const currencies = r.totals.values.map((v) => v.currency);
  const valuesOf = (values: readonly { currency: string; value: number }[]) =>
    currencies.map((c) => values.find((v) => v.currency === c)?.value ?? 0);
  return [
    {
      name: 'Delivery 交付',
      columns: [
        PERIOD,
        ['交付行 Lines delivered', 12],
        ['准时 On time', 10],
        ['延迟 Late', 10],
        ['准时率% On-time %', 12],
        ['数量 Qty', 12],
        ...currencies.map((c): [string, number] => [`金额 Value ${c}`, 14]),
      ],
      rows: [
        ...r.periods.map((p) => [
          p.period,
          p.delivered,
          p.onTime,
          p.late,
          p.onTimePct,
          p.qty,
          ...valuesOf(p.values),
        ]),
        [
          '合计 Total',
          r.totals.delivered,
          r.totals.onTime,
          r.totals.late,
          r.totals.onTimePct,
          r.totals.qty,
          ...valuesOf(r.totals.values),
        ],
      ],
    },
    {
      name: 'Backlog 未交订单',
      columns: [
        ['指标 Measure', 28],
        ['数值 Value', 14],
      ],
      rows: [
        ['未结订单 Open orders', b.orders],
        ['未交行 Open lines', b.lines],
        ['未交数量 Open qty', b.qty],
        ...b.values.map((v) => [`未交金额 Open value ${v.currency}`, v.value]),
        ['逾期行 Overdue lines', b.overdueLines],
        ['逾期数量 Overdue qty', b.overdueQty],
        ...b.values.map((v) => [`逾期金额 Overdue value ${v.currency}`, v.overdueValue]),
      ],
    },
  ];
}

export function productionSheets(r: ProductionReport): Sheet[] {
  return [
    {
      name: 'Output 产出',
      columns: [
        PERIOD,
        ['完工工单 Orders completed', 14],
        ['计划数 Planned', 12],
        ['合格 Good', 12],
        ['报废 Scrap', 12],
        ['报废率% Scrap %', 12],
      ],
      rows: [
        ...r.periods.map((p) => [p.period, p.orders, p.planned, p.good, p.scrap, p.scrapRatePct]),
        [
          '合计 Total',
          r.totals.orders,
          r.totals.planned,
          r.totals.good,
          r.totals.scrap,
          r.totals.scrapRatePct,
        ],
      ],
    },
    {
      name: 'WIP 在制',
      columns: [
        ['状态 Status', 14],
        ['工单 Orders', 10],
        ['计划数 Qty', 12],
        ['已合格 Good so far', 14],
        ['标准成本金额 Value', 16],
      ],
      rows: [
        ...r.wip.byStatus.map((w) => [w.status, w.orders, w.qty, w.good, w.value]),
        ['合计 Total', r.wip.orders, r.wip.qty, r.wip.good, r.wip.value],
      ],
    },
    {
      name: 'Scrap reasons 报废原因',
      columns: [
        ['原因 Reason', 24],
        ['报工次数 Reports', 12],
        ['报废 Scrap', 12],
      ],
      rows: r.scrapReasons.map((s) => [s.reason ?? '', s.reports, s.scrap]),
    },
  ];
}

export function inventorySheets(r: InventoryReport): Sheet[] {
  const valued: readonly (readonly [string, number])[] = [
    ['物料数 Items', 10],
    ['在库数量 Qty', 14],
    ['金额 Value', 16],
    ['占比% Share %', 10],
  ];
  return [
    {
      name: 'By type 按类型',
      columns: [['类型 Type', 16], ...valued],
      rows: [
        ...r.byType.map((t) => [t.type, t.items, t.qty, t.value, t.sharePct]),
        ['合计 Total', r.totals.items, r.totals.qty, r.totals.value, r.totals.value > 0 ? 100 : null],
      ],
    },
    {
      name: 'By warehouse 按仓库',
      columns: [['仓库编码 Code', 14], ['仓库 Warehouse', 20], ...valued],
      rows: r.byWarehouse.map((w) => [w.code, w.name, w.items, w.qty, w.value, w.sharePct]),
    },
    {
      name: 'Top items 金额最高物料',
      columns: [
        ['物料编码 Code', 16],
        ['物料名称 Name', 24],
        ['类型 Type', 12],
        ['单位 UoM', 8],
        ['标准成本 Standard cost', 14],
        ['在库数量 Qty', 14],
        ['金额 Value', 16],
        ['占比% Share %', 10],
      ],
      rows: r.topItems.map((i) => [
        i.code,
        i.name,
        i.type,
        i.uom,
        i.standardCost,
        i.qty,
        i.value,
        i.sharePct,
      ]),
    },
  ];
}

const TIMES: readonly (readonly [string, number])[] = [
  ['可用分钟 Available min', 16],
  ['报工分钟 Reported min', 16],
  ['计划分钟 Planned min', 16],
  ['利用率% Utilisation %', 14],
  ['计划负荷% Planned load %', 14],
];

export function utilisationSheets(r: UtilisationReport): Sheet[] {
  const times = (t: UtilisationReport['totals']) => [
    t.availableMinutes,
    t.reportedMinutes,
    t.plannedMinutes,
    t.utilisationPct,
    t.plannedLoadPct,
  ];
  return [
    {
      name: 'Machines 设备',
      columns: [['设备编码 Machine', 14], ['设备名称 Name', 20], ['工作中心 Work center', 14], ...TIMES],
      rows: r.machines.map((m) => [
        m.code,
        m.name,
        m.workCenterCode,
        m.availableMinutes,
        m.reportedMinutes,
        m.plannedMinutes,
        m.utilisationPct,
        m.plannedLoadPct,
      ]),
    },
    {
      name: 'Work centers 工作中心',
      columns: [['编码 Code', 14], ['名称 Name', 20], ['设备数 Machines', 10], ...TIMES],
      rows: [
        ...r.workCenters.map((c) => [c.code, c.name, c.machines, ...times({ ...r.totals, ...c })]),
        ['合计 Total', '', r.totals.machines, ...times(r.totals)],
      ],
    },
    {
      name: 'Periods 期间',
      columns: [PERIOD, ...TIMES],
      rows: r.periods.map((p) => [p.period, ...times({ ...r.totals, ...p })]),
    },
  ];
}
