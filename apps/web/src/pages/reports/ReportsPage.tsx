import { ReloadOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Col,
  Flex,
  Input,
  Row,
  Segmented,
  Select,
  Skeleton,
  Statistic,
  Typography,
} from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, asApiError, isAbortError } from '../../api/client.ts';
import {
  type DeliveryReport,
  type GroupBy,
  getDeliveryReport,
  getInventoryReport,
  getProductionReport,
  getUtilisationReport,
  type InventoryReport,
  type ProductionReport,
  type ReportRange,
  type UtilisationReport,
} from '../../api/reports.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { type Numbers, useNumbers } from './numbers.ts';
import {
  DeliverySection,
  InventorySection,
  ProductionSection,
  UtilisationSection,
} from './ReportSections.tsx';
import './reports.css';

type Preset = 'last30' | 'last90' | 'last365' | 'thisYear' | 'custom';
const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Report days are UTC days, so the presets count back from today in UTC. */
function presetRange(preset: Exclude<Preset, 'custom'>, now = Date.now()): { from: string; to: string } {
  const to = isoDay(now);
  if (preset === 'thisYear') return { from: `${to.slice(0, 4)}-01-01`, to };
  const days = preset === 'last30' ? 30 : preset === 'last90' ? 90 : 365;
  return { from: isoDay(now - (days - 1) * DAY_MS), to };
}

/** Days for up to a month, weeks up to half a year, months beyond (as the server does). */
function naturalGroup(from: string, to: string): GroupBy {
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  return days <= 31 ? 'day' : days <= 184 ? 'week' : 'month';
}

interface Reports {
  delivery: DeliveryReport;
  production: ProductionReport;
  inventory: InventoryReport;
  utilisation: UtilisationReport;
}

function Kpi({
  title,
  value,
  hint,
  tone,
  wrap,
}: {
  title: string;
  value: string;
  hint: string;
  tone?: 'good' | 'bad';
  /** The figure may break across lines (amounts in several currencies). */
  wrap?: boolean;
}) {
  return (
    <Card size="small" className={wrap ? 'rp-kpi rp-kpi-wrap' : 'rp-kpi'} data-kpi={title}>
      <Statistic
        title={title}
        value={value}
        styles={{ content: tone === 'bad' ? { color: '#cf1322' } : {} }}
      />
      <Typography.Text type="secondary" className="rp-kpi-hint">
        {hint}
      </Typography.Text>
    </Card>
  );
}

function KpiCards({ r, n }: { r: Reports; n: Numbers }) {
  const { t } = useTranslation('reports');
  const d = r.delivery;
  const p = r.production;
  const u = r.utilisation.totals;
  const cards = [
    {
      title: t('kpi.onTime'),
      value: n.pct(d.totals.onTimePct),
      hint: t('kpi.onTimeHint', { onTime: n.int(d.totals.onTime), delivered: n.int(d.totals.delivered) }),
      tone: d.totals.onTimePct !== null && d.totals.onTimePct < 90 ? ('bad' as const) : undefined,
    },
    {
      title: t('kpi.backlog'),
      // Per currency, never added up: "1.2万 CNY · 80 USD", breaking between currencies only.
      value:
        d.backlog.values.map((v) => `${n.compact(v.value)}\u00a0${v.currency}`).join(' · ') || n.compact(0),
      wrap: true,
      hint: t('kpi.backlogHint', { lines: n.int(d.backlog.lines), overdue: n.int(d.backlog.overdueLines) }),
      tone: d.backlog.overdueLines > 0 ? ('bad' as const) : undefined,
    },
    {
      title: t('kpi.wip'),
      value: n.int(p.wip.orders),
      hint: t('kpi.wipHint', { qty: n.compact(p.wip.qty) }),
    },
    {
      title: t('kpi.scrap'),
      value: n.pct(p.totals.scrapRatePct),
      hint: t('kpi.scrapHint', {
        scrap: n.compact(p.totals.scrap),
        made: n.compact(p.totals.good + p.totals.scrap),
      }),
    },
    {
      title: t('kpi.inventory'),
      value: n.compact(r.inventory.totals.value),
      hint: t('kpi.inventoryHint', { items: n.int(r.inventory.totals.items) }),
    },
    {
      title: t('kpi.utilisation'),
      value: n.pct(u.utilisationPct),
      hint: t('kpi.utilisationHint', { planned: n.pct(u.plannedLoadPct) }),
    },
  ];
  return (
    <Row gutter={[12, 12]} className="rp-kpis">
      {cards.map((c) => (
        <Col key={c.title} xs={12} md={8} xl={4}>
          <Kpi {...c} />
        </Col>
      ))}
    </Row>
  );
}

export function ReportsPage() {
  const { t } = useTranslation('reports');
  const n = useNumbers();
  const [preset, setPreset] = useState<Preset>('last90');
  const [range, setRange] = useState<ReportRange>(() => {
    const r = presetRange('last90');
    return { ...r, groupBy: naturalGroup(r.from, r.to) };
  });
  const [reports, setReports] = useState<Reports | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const inflight = useRef<AbortController | null>(null);

  const load = useCallback(async (r: ReportRange) => {
    inflight.current?.abort();
    const controller = new AbortController();
    inflight.current = controller;
    setLoading(true);
    try {
      const s = controller.signal;
      const [delivery, production, inventory, utilisation] = await Promise.all([
        getDeliveryReport(r, s),
        getProductionReport(r, s),
        getInventoryReport(s),
        getUtilisationReport(r, s),
      ]);
      setReports({ delivery, production, inventory, utilisation });
      setError(null);
    } catch (err) {
      if (!isAbortError(err)) setError(asApiError(err));
    } finally {
      if (inflight.current === controller) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(range);
    return () => inflight.current?.abort();
  }, [load, range]);

  const choosePreset = (p: Preset) => {
    setPreset(p);
    if (p === 'custom') return;
    const r = presetRange(p);
    setRange({ ...r, groupBy: naturalGroup(r.from, r.to) });
  };
  const setDay = (key: 'from' | 'to', value: string) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return;
    setPreset('custom');
    setRange((r) => ({ ...r, [key]: value }));
  };

  return (
    <>
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
        extra={
          <Button icon={<ReloadOutlined />} loading={loading} onClick={() => void load(range)}>
            {t('refresh')}
          </Button>
        }
      />
      <Card size="small" className="rp-toolbar">
        <Flex gap={12} wrap align="center">
          <Select<Preset>
            aria-label={t('range.preset')}
            className="rp-preset"
            value={preset}
            onChange={choosePreset}
            options={(['last30', 'last90', 'last365', 'thisYear', 'custom'] as const).map((p) => ({
              value: p,
              label: t(`range.${p}`),
            }))}
          />
          <label className="rp-date" htmlFor="rp-from">
            <span>{t('range.from')}</span>
            <Input
              type="date"
              id="rp-from"
              name="from"
              value={range.from}
              max={range.to}
              onChange={(e) => setDay('from', e.target.value)}
            />
          </label>
          <label className="rp-date" htmlFor="rp-to">
            <span>{t('range.to')}</span>
            <Input
              type="date"
              id="rp-to"
              name="to"
              value={range.to}
              min={range.from}
              onChange={(e) => setDay('to', e.target.value)}
            />
          </label>
          <Segmented<GroupBy>
            aria-label={t('range.groupBy')}
            value={range.groupBy}
            onChange={(groupBy) => setRange((r) => ({ ...r, groupBy }))}
            options={(['day', 'week', 'month'] as const).map((g) => ({ value: g, label: t(`range.${g}`) }))}
          />
        </Flex>
        <Typography.Text type="secondary" className="rp-note">
          {t('range.utc')}
        </Typography.Text>
      </Card>
      {error ? <ProblemAlert error={error} title={t('failed')} className="takt-block" /> : null}
      {reports ? (
        <div className={loading ? 'rp-body rp-loading' : 'rp-body'}>
          <KpiCards r={reports} n={n} />
          <DeliverySection report={reports.delivery} range={range} n={n} />
          <ProductionSection report={reports.production} range={range} n={n} />
          <InventorySection report={reports.inventory} range={range} n={n} />
          <UtilisationSection report={reports.utilisation} range={range} n={n} />
        </div>
      ) : error ? null : (
        <Skeleton active />
      )}
    </>
  );
}
