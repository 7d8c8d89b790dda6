import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Leaderboard, PieceRate, WageStatement } from '@takt/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Table,
  type TableColumnsType,
  Tabs,
  Tooltip,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, asApiError, isAbortError } from '../../api/client.ts';
import { itemsApi } from '../../api/masterdata.ts';
import {
  getLeaderboard,
  getWages,
  listPieceRates,
  type Period,
  setPieceRate,
  setPointsRules,
  wagesCsvUrl,
} from '../../api/shopfloor.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert, problemText } from '../../components/ProblemAlert.tsx';
import { RefSelect } from '../../components/RefSelect.tsx';
import { useFormat } from '../../i18n/format.ts';
import './shopfloor.css';

type Operator = WageStatement['operators'][number];
type Line = Operator['lines'][number];
type Ranked = Leaderboard['operators'][number];
type TeamRow = Leaderboard['teams'][number];

const MONEY = /^-?\d{1,13}(\.\d{1,2})?$/;

function isoDay(d: Date): string {
  const y = d.getFullYear();
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}

function thisMonth(): Period {
  const now = new Date();
  return { from: isoDay(new Date(now.getFullYear(), now.getMonth(), 1)), to: isoDay(now) };
}

function lastMonth(): Period {
  const now = new Date();
  return {
    from: isoDay(new Date(now.getFullYear(), now.getMonth() - 1, 1)),
    to: isoDay(new Date(now.getFullYear(), now.getMonth(), 0)),
  };
}

function thisWeek(): Period {
  const now = new Date();
  const monday = new Date(now);
  monday.setDate(now.getDate() - ((now.getDay() + 6) % 7));
  return { from: isoDay(monday), to: isoDay(now) };
}

function sumMoney(values: string[]): string {
  const cents = values.reduce((s, v) => s + Math.round(Number(v) * 100), 0);
  return (cents / 100).toFixed(2);
}

/** Piece-rate wages, the points leaderboard, and the rates and rules behind them, for one period. */
export function PayPage() {
  const { t } = useTranslation('shopfloor');
  const { t: tc } = useTranslation();
  const [period, setPeriod] = useState<Period>(thisMonth);
  const [tab, setTab] = useState('wages');
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const valid = period.from !== '' && period.to !== '' && period.from <= period.to;

  return (
    <div className="takt-page">
      <PageHeader
        title={t('pay.title')}
        subtitle={t('pay.subtitle')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={reload}>
            {tc('common.refresh')}
          </Button>
        }
      />
      <div className="sf-period" data-testid="period">
        <span>{t('pay.from')}</span>
        <Input
          aria-label={t('pay.from')}
          type="date"
          value={period.from}
          max={period.to}
          onChange={(e) => setPeriod((p) => ({ ...p, from: e.target.value }))}
        />
        <span>{t('pay.to')}</span>
        <Input
          aria-label={t('pay.to')}
          type="date"
          value={period.to}
          min={period.from}
          onChange={(e) => setPeriod((p) => ({ ...p, to: e.target.value }))}
        />
        <Button size="small" onClick={() => setPeriod(thisWeek())}>
          {t('pay.thisWeek')}
        </Button>
        <Button size="small" onClick={() => setPeriod(thisMonth())}>
          {t('pay.thisMonth')}
        </Button>
        <Button size="small" onClick={() => setPeriod(lastMonth())}>
          {t('pay.lastMonth')}
        </Button>
      </div>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'wages',
            label: t('pay.tabs.wages'),
            children: valid ? <Wages period={period} tick={tick} /> : null,
          },
          {
            key: 'leaderboard',
            label: t('pay.tabs.leaderboard'),
            children: valid ? <Board period={period} tick={tick} /> : null,
          },
          { key: 'rates', label: t('pay.tabs.rates'), children: <Rates tick={tick} /> },
          {
            key: 'rules',
            label: t('pay.tabs.rules'),
            children: valid ? <Rules period={period} tick={tick} onSaved={reload} /> : null,
          },
        ]}
      />
    </div>
  );
}

/** Runs `load` again whenever `key` changes (the caller puts everything the load depends on into it). */
function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, key: string) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for what the load depends on
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    loadRef
      .current(controller.signal)
      .then((d) => {
        setData(d);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!isAbortError(e)) setError(asApiError(e));
      })
      .finally(() => setLoading(false));
    return () => controller.abort();
  }, [key]);
  return { data, error, loading, setData };
}

function Wages({ period, tick }: { period: Period; tick: number }) {
  const { t } = useTranslation('shopfloor');
  const format = useFormat();
  // Totals only: a month of a large plant is over a hundred thousand lines; a row loads its own.
  const { data, error, loading } = useLoad(
    (s) => getWages(period, s, { lines: 'none' }),
    `${period.from}:${period.to}:${tick}`,
  );
  const operators = data?.operators ?? [];
  const total = sumMoney(operators.map((o) => o.total));

  const columns: TableColumnsType<Operator> = [
    { key: 'name', dataIndex: 'name', title: t('pay.operator') },
    { key: 'team', dataIndex: 'team', title: t('pay.team') },
    { key: 'reports', title: t('pay.reports'), align: 'right', render: (_, o) => o.reports },
    {
      key: 'unrated',
      title: (
        <Tooltip title={t('pay.unratedHint')}>
          <span>{t('pay.unrated')}</span>
        </Tooltip>
      ),
      align: 'right',
      render: (_, o) => (o.unrated ? <Typography.Text type="warning">{o.unrated}</Typography.Text> : 0),
    },
    { key: 'total', title: t('pay.total'), align: 'right', render: (_, o) => <b>{o.total}</b> },
  ];
  const lineColumns: TableColumnsType<Line> = [
    { key: 'at', title: t('pay.reportedAt'), render: (_, l) => format.dateTime(l.reportedAt) },
    { key: 'wo', dataIndex: 'workOrderCode', title: t('pay.workOrder') },
    { key: 'item', dataIndex: 'itemCode', title: t('pay.item') },
    { key: 'seq', dataIndex: 'seq', title: t('pay.seq'), align: 'right' },
    { key: 'good', dataIndex: 'good', title: t('pay.good'), align: 'right' },
    { key: 'scrap', dataIndex: 'scrap', title: t('pay.scrap'), align: 'right' },
    { key: 'rate', dataIndex: 'rate', title: t('pay.rate'), align: 'right' },
    { key: 'amount', dataIndex: 'amount', title: t('pay.amount'), align: 'right' },
  ];

  return (
    <>
      {error ? <ProblemAlert error={error} /> : null}
      <div className="sf-filters">
        <Button icon={<DownloadOutlined />} href={wagesCsvUrl(period)} download data-testid="wages-csv">
          {t('pay.csv')}
        </Button>
      </div>
      <Table<Operator>
        rowKey="operatorId"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={operators}
        pagination={false}
        scroll={{ x: 640 }}
        locale={{ emptyText: t('pay.noWages') }}
        expandable={{
          rowExpandable: (o) => o.reports > 0,
          expandedRowRender: (o) => (
            <OperatorLines period={period} tick={tick} operatorId={o.operatorId} columns={lineColumns} />
          ),
        }}
        summary={() =>
          operators.length ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={5}>
                <b>{t('pay.grandTotal')}</b>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5} align="right">
                <b data-testid="wages-total">{total}</b>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      />
    </>
  );
}

/** One operator's report lines for the period, loaded when the row opens. */
function OperatorLines({
  period,
  tick,
  operatorId,
  columns,
}: {
  period: Period;
  tick: number;
  operatorId: string;
  columns: TableColumnsType<Line>;
}) {
  const { data, error, loading } = useLoad(
    (s) => getWages(period, s, { operatorId, lines: 'all' }),
    `${period.from}:${period.to}:${tick}:${operatorId}`,
  );
  return (
    <>
      {error ? <ProblemAlert error={error} /> : null}
      <Table<Line>
        rowKey="reportId"
        size="small"
        loading={loading}
        columns={columns}
        dataSource={data?.operators.find((o) => o.operatorId === operatorId)?.lines ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 720 }}
      />
    </>
  );
}

function Board({ period, tick }: { period: Period; tick: number }) {
  const { t } = useTranslation('shopfloor');
  const { data, error, loading } = useLoad(
    (s) => getLeaderboard(period, s),
    `${period.from}:${period.to}:${tick}`,
  );
  const operators = useMemo(() => [...(data?.operators ?? [])].sort((a, b) => b.points - a.points), [data]);
  const teams = useMemo(() => [...(data?.teams ?? [])].sort((a, b) => b.points - a.points), [data]);
  const opColumns: TableColumnsType<Ranked> = [
    { key: 'rank', title: t('pay.rank'), width: 56, render: (_, __, i) => i + 1 },
    { key: 'name', dataIndex: 'name', title: t('pay.operator') },
    { key: 'team', dataIndex: 'team', title: t('pay.team') },
    { key: 'firstPass', dataIndex: 'firstPass', title: t('pay.firstPass'), align: 'right' },
    { key: 'onTime', dataIndex: 'onTime', title: t('pay.onTime'), align: 'right' },
    { key: 'goodUnits', dataIndex: 'goodUnits', title: t('pay.goodUnits'), align: 'right' },
    { key: 'points', title: t('pay.points'), align: 'right', render: (_, r) => <b>{r.points}</b> },
  ];
  const teamColumns: TableColumnsType<TeamRow> = [
    { key: 'rank', title: t('pay.rank'), width: 56, render: (_, __, i) => i + 1 },
    { key: 'team', dataIndex: 'team', title: t('pay.team') },
    { key: 'operators', dataIndex: 'operators', title: t('pay.operators'), align: 'right' },
    { key: 'points', title: t('pay.points'), align: 'right', render: (_, r) => <b>{r.points}</b> },
  ];
  return (
    <>
      {error ? <ProblemAlert error={error} /> : null}
      {data ? (
        <Alert type="info" showIcon className="sf-filters" title={t('pay.rulesNow', data.rules)} />
      ) : null}
      <div className="sf-board">
        <Card title={t('pay.byOperator')} size="small">
          <Table<Ranked>
            rowKey="operatorId"
            size="small"
            loading={loading}
            columns={opColumns}
            dataSource={operators}
            pagination={false}
            scroll={{ x: 560 }}
          />
        </Card>
        <Card title={t('pay.byTeam')} size="small">
          <Table<TeamRow>
            rowKey="team"
            size="small"
            loading={loading}
            columns={teamColumns}
            dataSource={teams}
            pagination={false}
          />
        </Card>
      </div>
    </>
  );
}

interface RateForm {
  itemId: string;
  seq: number;
  rate: string;
  scrapDeduction?: string;
}

function Rates({ tick }: { tick: number }) {
  const { t } = useTranslation('shopfloor');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const canEdit = can('production:update');
  const { data, error, loading, setData } = useLoad((s) => listPieceRates(s), String(tick));
  const [form] = Form.useForm<RateForm>();
  const [saving, setSaving] = useState(false);

  const save = async (values: RateForm) => {
    setSaving(true);
    try {
      const saved = await setPieceRate({
        itemId: values.itemId,
        seq: values.seq,
        rate: values.rate.trim(),
        ...(values.scrapDeduction?.trim() ? { scrapDeduction: values.scrapDeduction.trim() } : {}),
      });
      setData((list) => [
        saved,
        ...(list ?? []).filter((r) => !(r.itemId === saved.itemId && r.seq === saved.seq)),
      ]);
      message.success(t('pay.rateSaved', { item: saved.itemCode, seq: saved.seq }));
    } catch (e) {
      message.error(problemText(tc, asApiError(e)));
    } finally {
      setSaving(false);
    }
  };

  const columns: TableColumnsType<PieceRate> = [
    { key: 'item', dataIndex: 'itemCode', title: t('pay.item') },
    { key: 'seq', dataIndex: 'seq', title: t('pay.seq'), align: 'right' },
    { key: 'rate', dataIndex: 'rate', title: t('pay.rate'), align: 'right' },
    { key: 'scrap', dataIndex: 'scrapDeduction', title: t('pay.scrapDeduction'), align: 'right' },
    ...(canEdit
      ? [
          {
            key: 'edit',
            title: '',
            width: 80,
            render: (_: unknown, r: PieceRate) => (
              <Button
                size="small"
                onClick={() =>
                  form.setFieldsValue({
                    itemId: r.itemId,
                    seq: r.seq,
                    rate: r.rate,
                    scrapDeduction: r.scrapDeduction,
                  })
                }
              >
                {t('pay.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];
  const money = [{ pattern: MONEY, message: t('pay.moneyInvalid') }];
  return (
    <>
      {error ? <ProblemAlert error={error} /> : null}
      {canEdit ? (
        <Card size="small" className="sf-filters">
          <Typography.Paragraph type="secondary">{t('pay.rateHint')}</Typography.Paragraph>
          <Form<RateForm> form={form} layout="inline" onFinish={(v) => void save(v)} className="sf-rate-form">
            <Form.Item name="itemId" label={t('pay.item')} rules={[{ required: true }]}>
              <RefSelect
                api={itemsApi}
                filter={{ active: true }}
                aria-label={t('pay.item')}
                className="sf-item-select"
              />
            </Form.Item>
            <Form.Item name="seq" label={t('pay.seq')} rules={[{ required: true }]}>
              <InputNumber min={1} max={9999} precision={0} />
            </Form.Item>
            <Form.Item name="rate" label={t('pay.rate')} rules={[{ required: true }, ...money]}>
              <Input inputMode="decimal" className="sf-money" />
            </Form.Item>
            <Form.Item name="scrapDeduction" label={t('pay.scrapDeduction')} rules={money}>
              <Input inputMode="decimal" className="sf-money" />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" loading={saving}>
                {t('pay.setRate')}
              </Button>
            </Form.Item>
          </Form>
        </Card>
      ) : null}
      <Table<PieceRate>
        rowKey={(r) => `${r.itemId}:${r.seq}`}
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{ emptyText: t('pay.noRates') }}
      />
    </>
  );
}

interface RulesForm {
  firstPass: number;
  onTime: number;
  perGoodUnit: number;
}

function Rules({ period, tick, onSaved }: { period: Period; tick: number; onSaved: () => void }) {
  const { t } = useTranslation('shopfloor');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const canEdit = can('production:update');
  const { data, error } = useLoad((s) => getLeaderboard(period, s), `${period.from}:${period.to}:${tick}`);
  const [form] = Form.useForm<RulesForm>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (data) form.setFieldsValue(data.rules);
  }, [data, form]);

  const save = async (values: RulesForm) => {
    setSaving(true);
    try {
      await setPointsRules(values);
      message.success(t('pay.rulesSaved'));
      onSaved();
    } catch (e) {
      message.error(problemText(tc, asApiError(e)));
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      {error ? <ProblemAlert error={error} /> : null}
      <Typography.Paragraph type="secondary">{t('pay.rulesHint')}</Typography.Paragraph>
      <Form<RulesForm>
        form={form}
        layout="vertical"
        disabled={!canEdit}
        onFinish={(v) => void save(v)}
        className="sf-rules-form"
      >
        <Form.Item name="firstPass" label={t('pay.firstPassRule')} rules={[{ required: true }]}>
          <InputNumber min={0} max={1000} step={0.5} />
        </Form.Item>
        <Form.Item name="onTime" label={t('pay.onTimeRule')} rules={[{ required: true }]}>
          <InputNumber min={0} max={1000} step={0.5} />
        </Form.Item>
        <Form.Item name="perGoodUnit" label={t('pay.perGoodUnitRule')} rules={[{ required: true }]}>
          <InputNumber min={0} max={1000} step={0.1} />
        </Form.Item>
        {canEdit ? (
          <Button type="primary" htmlType="submit" loading={saving}>
            {tc('common.save')}
          </Button>
        ) : null}
      </Form>
    </>
  );
}
