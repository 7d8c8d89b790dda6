import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Row, Table, type TableColumnsType, Typography } from 'antd';
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type DeliveryReport,
  type InventoryReport,
  type ProductionReport,
  type ReportName,
  type ReportRange,
  reportExportUrl,
  type UtilisationReport,
} from '../../api/reports.ts';
import { type ChartOption, EChart } from './EChart.tsx';
import type { Numbers } from './numbers.ts';

const GREEN = '#52c41a';
const RED = '#ff4d4f';
const BLUE = '#1677ff';
const ORANGE = '#fa8c16';

/** A report section: title, how it is counted, the chart and tables, and its workbook. */
function Section({
  name,
  range,
  title,
  help,
  children,
}: {
  name: ReportName;
  range: ReportRange;
  title: string;
  help: string;
  children: ReactNode;
}) {
  const { t } = useTranslation('reports');
  return (
    <Card
      size="small"
      className="rp-section"
      data-report={name}
      title={title}
      extra={
        <Button size="small" icon={<DownloadOutlined />} href={reportExportUrl(name, range)} download>
          <span className="rp-export-text">{t('export')}</span>
        </Button>
      }
    >
      <Typography.Paragraph type="secondary" className="rp-help">
        {help}
      </Typography.Paragraph>
      {children}
    </Card>
  );
}

/** Bars on the left axis and a percentage line on the right one, over the periods. */
function periodChart(
  periods: readonly string[],
  bars: { name: string; data: number[]; color: string; stack?: string }[],
  line: { name: string; data: (number | null)[]; color: string } | null,
): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: periods },
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', min: 0, axisLabel: { formatter: '{value} %' }, splitLine: { show: false } },
    ],
    series: [
      ...bars.map((b) => ({
        type: 'bar',
        name: b.name,
        data: b.data,
        stack: b.stack,
        itemStyle: { color: b.color },
        barMaxWidth: 28,
      })),
      ...(line
        ? [
            {
              type: 'line',
              name: line.name,
              data: line.data,
              yAxisIndex: 1,
              connectNulls: true,
              itemStyle: { color: line.color },
            },
          ]
        : []),
    ],
  };
}

const table = { size: 'small' as const, pagination: false as const, scroll: { x: 'max-content' } };

export function DeliverySection({
  report,
  range,
  n,
}: {
  report: DeliveryReport;
  range: ReportRange;
  n: Numbers;
}) {
  const { t } = useTranslation('reports');
  const option = useMemo(
    () =>
      periodChart(
        report.periods.map((p) => p.period),
        [
          { name: t('delivery.onTime'), data: report.periods.map((p) => p.onTime), color: GREEN, stack: 'd' },
          { name: t('delivery.late'), data: report.periods.map((p) => p.late), color: RED, stack: 'd' },
        ],
        { name: t('delivery.onTimePct'), data: report.periods.map((p) => p.onTimePct), color: BLUE },
      ),
    [report, t],
  );
  type Row = DeliveryReport['periods'][number];
  const columns: TableColumnsType<Row> = [
    { title: t('period'), dataIndex: 'period', fixed: 'left' },
    { title: t('delivery.delivered'), dataIndex: 'delivered', align: 'right', render: n.int },
    { title: t('delivery.onTime'), dataIndex: 'onTime', align: 'right', render: n.int },
    { title: t('delivery.late'), dataIndex: 'late', align: 'right', render: n.int },
    { title: t('delivery.onTimePct'), dataIndex: 'onTimePct', align: 'right', render: n.pct },
    // One value column per currency: money of different currencies is never added up.
    ...report.totals.values.map(({ currency }) => ({
      title: t('delivery.valueIn', { currency }),
      key: `value-${currency}`,
      align: 'right' as const,
      render: (_: unknown, row: Row) => n.money(row.values.find((v) => v.currency === currency)?.value ?? 0),
    })),
  ];
  const b = report.backlog;
  // Open and overdue value per currency; with no open line, one zero without a currency.
  const perCurrency = (
    plain: string,
    inCurrency: (currency: string) => string,
    pick: (v: (typeof b.values)[number]) => number,
  ): [string, string][] =>
    b.values.length === 0
      ? [[plain, n.money(0)]]
      : b.values.map((v) => [inCurrency(v.currency), n.money(pick(v))]);
  const backlog: [string, string][] = [
    [t('delivery.backlogOrders'), n.int(b.orders)],
    [t('delivery.backlogLines'), n.int(b.lines)],
    [t('delivery.backlogQty'), n.qty(b.qty)],
    ...perCurrency(
      t('delivery.backlogValue'),
      (currency) => t('delivery.backlogValueIn', { currency }),
      (v) => v.value,
    ),
    [t('delivery.overdueLines'), n.int(b.overdueLines)],
    ...perCurrency(
      t('delivery.overdueValue'),
      (currency) => t('delivery.overdueValueIn', { currency }),
      (v) => v.overdueValue,
    ),
  ];
  return (
    <Section name="delivery" range={range} title={t('delivery.title')} help={t('delivery.help')}>
      <EChart option={option} label={t('delivery.title')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Table<Row> {...table} rowKey="period" columns={columns} dataSource={report.periods} />
        </Col>
        <Col xs={24} lg={8}>
          <Typography.Title level={5}>{t('delivery.backlog')}</Typography.Title>
          <dl className="rp-facts">
            {backlog.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        </Col>
      </Row>
    </Section>
  );
}

export function ProductionSection({
  report,
  range,
  n,
}: {
  report: ProductionReport;
  range: ReportRange;
  n: Numbers;
}) {
  const { t } = useTranslation(['reports', 'translation']);
  const option = useMemo(
    () =>
      periodChart(
        report.periods.map((p) => p.period),
        [{ name: t('production.orders'), data: report.periods.map((p) => p.orders), color: BLUE }],
        { name: t('production.scrapPct'), data: report.periods.map((p) => p.scrapRatePct), color: RED },
      ),
    [report, t],
  );
  type Period = ProductionReport['periods'][number];
  type Wip = ProductionReport['wip']['byStatus'][number];
  type Reason = ProductionReport['scrapReasons'][number];
  const periodColumns: TableColumnsType<Period> = [
    { title: t('period'), dataIndex: 'period', fixed: 'left' },
    { title: t('production.orders'), dataIndex: 'orders', align: 'right', render: n.int },
    { title: t('production.good'), dataIndex: 'good', align: 'right', render: n.qty },
    { title: t('production.scrap'), dataIndex: 'scrap', align: 'right', render: n.qty },
    { title: t('production.scrapPct'), dataIndex: 'scrapRatePct', align: 'right', render: n.pct },
  ];
  const wipColumns: TableColumnsType<Wip> = [
    {
      title: t('production.status'),
      dataIndex: 'status',
      render: (s: string) => t(`translation:production.status.${s}` as never, { defaultValue: s }),
    },
    { title: t('production.wipOrders'), dataIndex: 'orders', align: 'right', render: n.int },
    { title: t('production.wipQty'), dataIndex: 'qty', align: 'right', render: n.qty },
    { title: t('production.wipGood'), dataIndex: 'good', align: 'right', render: n.qty },
    { title: t('production.wipValue'), dataIndex: 'value', align: 'right', render: n.money },
  ];
  const reasonColumns: TableColumnsType<Reason> = [
    {
      title: t('production.reason'),
      dataIndex: 'reason',
      render: (r: string | null) => r ?? t('production.noReason'),
    },
    { title: t('production.reports'), dataIndex: 'reports', align: 'right', render: n.int },
    { title: t('production.scrap'), dataIndex: 'scrap', align: 'right', render: n.qty },
  ];
  return (
    <Section name="production" range={range} title={t('production.title')} help={t('production.help')}>
      <EChart option={option} label={t('production.title')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Table<Period> {...table} rowKey="period" columns={periodColumns} dataSource={report.periods} />
        </Col>
        <Col xs={24} xl={12}>
          <Typography.Title level={5}>{t('production.wip')}</Typography.Title>
          <Table<Wip> {...table} rowKey="status" columns={wipColumns} dataSource={report.wip.byStatus} />
          <Typography.Title level={5} className="rp-subtitle">
            {t('production.reasons')}
          </Typography.Title>
          <Table<Reason>
            {...table}
            rowKey={(r) => r.reason ?? ''}
            columns={reasonColumns}
            dataSource={report.scrapReasons}
            locale={{ emptyText: t('empty') }}
          />
        </Col>
      </Row>
    </Section>
  );
}

export function InventorySection({
  report,
  range,
  n,
}: {
  report: InventoryReport;
  range: ReportRange;
  n: Numbers;
}) {
  const { t } = useTranslation(['reports', 'translation']);
  const typeName = (type: string) => t(`translation:items.types.${type}` as never, { defaultValue: type });
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'item', valueFormatter: (v: number) => n.money(v) },
      legend: { top: 0 },
      series: [
        {
          type: 'pie',
          name: t('inventory.byType'),
          radius: ['40%', '70%'],
          top: 24,
          data: report.byType.map((r) => ({
            name: t(`translation:items.types.${r.type}` as never, { defaultValue: r.type }),
            value: r.value,
          })),
          label: { formatter: '{b}\n{d} %' },
        },
      ],
    }),
    [report, t, n],
  );
  type Warehouse = InventoryReport['byWarehouse'][number];
  type Item = InventoryReport['topItems'][number];
  const warehouseColumns: TableColumnsType<Warehouse> = [
    { title: t('inventory.warehouse'), key: 'wh', render: (_, w) => `${w.code} ${w.name}` },
    { title: t('inventory.items'), dataIndex: 'items', align: 'right', render: n.int },
    { title: t('inventory.value'), dataIndex: 'value', align: 'right', render: n.money },
    { title: t('inventory.share'), dataIndex: 'sharePct', align: 'right', render: n.pct },
  ];
  const itemColumns: TableColumnsType<Item> = [
    {
      title: t('inventory.item'),
      key: 'item',
      render: (_, i) => (
        <span>
          <Typography.Text strong>{i.code}</Typography.Text> {i.name}
        </span>
      ),
    },
    { title: t('inventory.type'), dataIndex: 'type', render: typeName },
    { title: t('inventory.qty'), key: 'qty', align: 'right', render: (_, i) => `${n.qty(i.qty)} ${i.uom}` },
    { title: t('inventory.cost'), dataIndex: 'standardCost', align: 'right', render: n.money },
    { title: t('inventory.value'), dataIndex: 'value', align: 'right', render: n.money },
    { title: t('inventory.share'), dataIndex: 'sharePct', align: 'right', render: n.pct },
  ];
  return (
    <Section name="inventory" range={range} title={t('inventory.title')} help={t('inventory.help')}>
      {report.totals.uncostedItems > 0 ? (
        <Alert
          type="warning"
          showIcon
          className="takt-block"
          title={t('inventory.uncosted', { n: report.totals.uncostedItems })}
        />
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <EChart option={option} label={t('inventory.byType')} />
        </Col>
        <Col xs={24} lg={14}>
          <Typography.Title level={5}>{t('inventory.byWarehouse')}</Typography.Title>
          <Table<Warehouse>
            {...table}
            rowKey="id"
            columns={warehouseColumns}
            dataSource={report.byWarehouse}
          />
        </Col>
      </Row>
      <Typography.Title level={5} className="rp-subtitle">
        {t('inventory.top')}
      </Typography.Title>
      <Table<Item> {...table} rowKey="id" columns={itemColumns} dataSource={report.topItems} />
    </Section>
  );
}

export function UtilisationSection({
  report,
  range,
  n,
}: {
  report: UtilisationReport;
  range: ReportRange;
  n: Numbers;
}) {
  const { t } = useTranslation('reports');
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => n.pct(v) },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: report.periods.map((p) => p.period) },
      yAxis: { type: 'value', min: 0, axisLabel: { formatter: '{value} %' } },
      series: [
        {
          type: 'bar',
          name: t('utilisation.utilisationPct'),
          data: report.periods.map((p) => p.utilisationPct),
          itemStyle: { color: BLUE },
          barMaxWidth: 28,
        },
        {
          type: 'line',
          name: t('utilisation.plannedPct'),
          data: report.periods.map((p) => p.plannedLoadPct),
          itemStyle: { color: ORANGE },
          connectNulls: true,
        },
      ],
    }),
    [report, t, n],
  );
  type Machine = UtilisationReport['machines'][number];
  type Center = UtilisationReport['workCenters'][number];
  // The ratios first: on a phone they are what shows before the table scrolls.
  const times = <T extends { utilisationPct: number | null }>(): TableColumnsType<T> => [
    {
      title: t('utilisation.utilisationPct'),
      dataIndex: 'utilisationPct',
      align: 'right',
      render: n.pct,
      sorter: (a, b) => (a.utilisationPct ?? -1) - (b.utilisationPct ?? -1),
    },
    { title: t('utilisation.plannedPct'), dataIndex: 'plannedLoadPct', align: 'right', render: n.pct },
    { title: t('utilisation.available'), dataIndex: 'availableMinutes', align: 'right', render: n.hours },
    { title: t('utilisation.reported'), dataIndex: 'reportedMinutes', align: 'right', render: n.hours },
    { title: t('utilisation.planned'), dataIndex: 'plannedMinutes', align: 'right', render: n.hours },
  ];
  const machineColumns: TableColumnsType<Machine> = [
    {
      title: t('utilisation.machine'),
      key: 'machine',
      fixed: 'left',
      render: (_, m) => (
        <span className="takt-nowrap">
          <Typography.Text strong>{m.code}</Typography.Text> {m.name}
        </span>
      ),
    },
    ...times<Machine>(),
    { title: t('utilisation.workCenter'), dataIndex: 'workCenterCode' },
  ];
  const centerColumns: TableColumnsType<Center> = [
    { title: t('utilisation.workCenter'), key: 'wc', fixed: 'left', render: (_, c) => `${c.code} ${c.name}` },
    { title: t('utilisation.machine'), dataIndex: 'machines', align: 'right', render: n.int },
    ...times<Center>(),
  ];
  return (
    <Section name="utilisation" range={range} title={t('utilisation.title')} help={t('utilisation.help')}>
      {report.totals.machinesWithoutCalendar > 0 ? (
        <Alert
          type="warning"
          showIcon
          className="takt-block"
          title={t('utilisation.noCalendar', { n: report.totals.machinesWithoutCalendar })}
        />
      ) : null}
      <EChart option={option} label={t('utilisation.title')} />
      <Typography.Title level={5}>{t('utilisation.byWorkCenter')}</Typography.Title>
      <Table<Center> {...table} rowKey="id" columns={centerColumns} dataSource={report.workCenters} />
      <Typography.Title level={5} className="rp-subtitle">
        {t('utilisation.byMachine')}
      </Typography.Title>
      <Table<Machine>
        {...table}
        rowKey="id"
        columns={machineColumns}
        dataSource={report.machines}
        pagination={report.machines.length > 20 ? { pageSize: 20, size: 'small' } : false}
      />
    </Section>
  );
}
