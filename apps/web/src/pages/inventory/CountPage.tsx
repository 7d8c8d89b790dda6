import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { Balance, StockMove } from '@takt/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Flex,
  Input,
  Result,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, asApiError, isAbortError } from '../../api/client.ts';
import { type CountResult, listBalances, postCount } from '../../api/inventory.ts';
import { itemsApi } from '../../api/masterdata.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useUrlState } from '../../components/entity/EntityListPage.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { RefSelect } from '../../components/RefSelect.tsx';
import { useFormat } from '../../i18n/format.ts';
import { QTY_PATTERN } from '../production/qty.ts';
import { useItemLabels } from './itemLabels.ts';
import { PlaceSelect, placeLabel, usePlaces } from './places.tsx';
import '../production/filters.css';

interface Line {
  key: string;
  itemId: string | null;
  itemCode: string;
  lot: string;
  onHand: string;
  counted: string;
  /** Added by hand: stock found that the system did not know about. */
  extra: boolean;
}

function diff(line: Line): number | null {
  const c = line.counted.trim();
  if (!c || !QTY_PATTERN.test(c)) return null;
  return Math.round((Number(c) - Number(line.onHand)) * 1000) / 1000;
}

/** A cycle count of one location: its balances, the counted quantities, and the adjustments posted. */
export function CountPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { message } = App.useApp();
  const { can } = useAuth();
  const canPost = can('inventory:create');
  const { byId } = usePlaces();
  const [params, update] = useUrlState();
  const locationId = params.get('locationId') ?? undefined;

  const [lines, setLines] = useState<Line[]>([]);
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [reason, setReason] = useState('');
  const [posting, setPosting] = useState(false);
  const [postError, setPostError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<CountResult | null>(null);
  const [tick, setTick] = useState(0);
  const items = useItemLabels(result?.adjustments.map((m) => m.itemId) ?? []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` starts a new count
  useEffect(() => {
    setLines([]);
    setResult(null);
    setPostError(null);
    if (!locationId) return;
    const controller = new AbortController();
    setLoading(true);
    listBalances({ locationId, limit: 500 }, controller.signal)
      .then((page) => {
        setLines(
          page.items.map((b: Balance) => ({
            key: `${b.itemId}:${b.lot ?? ''}`,
            itemId: b.itemId,
            itemCode: b.itemCode,
            lot: b.lot ?? '',
            onHand: b.onHand,
            counted: '',
            extra: false,
          })),
        );
        setLoadError(null);
      })
      .catch((e: unknown) => {
        if (!isAbortError(e)) setLoadError(asApiError(e));
      })
      .finally(() => setLoading(false));
    return () => controller.abort();
  }, [locationId, tick]);

  const setLine = (key: string, patch: Partial<Line>) =>
    setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...patch } : l)));

  const counted = lines.filter((l) => l.counted.trim() !== '' && l.itemId);
  const invalid = lines.some((l) => l.counted.trim() !== '' && !QTY_PATTERN.test(l.counted.trim()));

  const submit = async () => {
    if (!locationId) return;
    setPosting(true);
    setPostError(null);
    try {
      const r = await postCount({
        locationId,
        reason: reason.trim(),
        lines: counted.map((l) => ({
          itemId: l.itemId ?? '',
          ...(l.lot.trim() ? { lot: l.lot.trim() } : {}),
          countedQty: l.counted.trim(),
        })),
      });
      setResult(r);
      message.success(t('inventory.count.posted', { n: r.adjustments.length }));
    } catch (e) {
      setPostError(asApiError(e));
    } finally {
      setPosting(false);
    }
  };

  const columns: TableColumnsType<Line> = [
    {
      key: 'item',
      title: t('inventory.columns.item'),
      render: (_, l) =>
        l.extra ? (
          <RefSelect
            api={itemsApi}
            className="takt-block"
            aria-label={t('inventory.columns.item')}
            value={l.itemId}
            onChange={(v) => setLine(l.key, { itemId: typeof v === 'string' ? v : null })}
          />
        ) : (
          <span className="takt-mono">{l.itemCode}</span>
        ),
    },
    {
      key: 'lot',
      title: t('production.lot'),
      width: 160,
      render: (_, l) =>
        l.extra ? (
          <Input value={l.lot} maxLength={60} onChange={(e) => setLine(l.key, { lot: e.target.value })} />
        ) : (
          <span className="takt-mono">{l.lot || '—'}</span>
        ),
    },
    {
      key: 'onHand',
      title: t('inventory.count.system'),
      width: 120,
      align: 'right',
      render: (_, l) => <span className="takt-num">{format.decimal(l.onHand)}</span>,
    },
    {
      key: 'counted',
      title: t('inventory.count.counted'),
      width: 150,
      render: (_, l) => (
        <Input
          inputMode="decimal"
          className="takt-num-input"
          aria-label={`${t('inventory.count.counted')} ${l.itemCode}`}
          status={l.counted.trim() && !QTY_PATTERN.test(l.counted.trim()) ? 'error' : undefined}
          value={l.counted}
          placeholder={t('inventory.count.notCounted')}
          onChange={(e) => setLine(l.key, { counted: e.target.value })}
        />
      ),
    },
    {
      key: 'diff',
      title: t('inventory.count.difference'),
      width: 120,
      align: 'right',
      render: (_, l) => {
        const d = diff(l);
        if (d === null) return <Typography.Text type="secondary">—</Typography.Text>;
        return (
          <Typography.Text type={d < 0 ? 'danger' : d > 0 ? 'success' : 'secondary'} className="takt-num">
            {d > 0 ? '+' : ''}
            {format.decimal(String(d))}
          </Typography.Text>
        );
      },
    },
    {
      key: 'remove',
      width: 56,
      render: (_, l) =>
        l.extra ? (
          <Button
            type="text"
            icon={<DeleteOutlined />}
            aria-label={t('inventory.count.removeLine')}
            onClick={() => setLines((ls) => ls.filter((x) => x.key !== l.key))}
          />
        ) : null,
    },
  ];

  const adjustmentColumns: TableColumnsType<StockMove> = [
    {
      key: 'kind',
      title: t('inventory.columns.kind'),
      width: 130,
      render: (_, m) => (
        <Tag color={m.kind === 'adjustment_in' ? 'green' : 'orange'}>{t(`inventory.kinds.${m.kind}`)}</Tag>
      ),
    },
    {
      key: 'item',
      title: t('inventory.columns.item'),
      render: (_, m) => (
        <span className="takt-mono">{items.get(m.itemId)?.code ?? m.itemId.slice(0, 8)}</span>
      ),
    },
    { key: 'lot', title: t('production.lot'), render: (_, m) => m.lot ?? '—' },
    {
      key: 'qty',
      title: t('inventory.columns.qty'),
      align: 'right',
      render: (_, m) => <span className="takt-num">{format.decimal(m.qty)}</span>,
    },
  ];

  return (
    <div className="takt-page">
      <PageHeader title={t('inventory.count.title')} subtitle={t('inventory.count.subtitle')} />
      <Flex vertical gap={16}>
        <Card className="takt-card" size="small">
          <Flex gap={12} wrap align="center">
            <Typography.Text strong>{t('inventory.count.location')}</Typography.Text>
            <PlaceSelect
              className="takt-inv-location-filter"
              aria-label={t('inventory.count.location')}
              value={locationId ?? null}
              onChange={(v) => update({ locationId: v })}
            />
            {locationId ? (
              <Button onClick={() => setTick((n) => n + 1)}>{t('inventory.count.restart')}</Button>
            ) : null}
          </Flex>
        </Card>
        {loadError ? <ProblemAlert error={loadError} title={t('errors.loadFailed')} /> : null}
        {result ? (
          <Card className="takt-card">
            <Result
              status="success"
              title={t('inventory.count.resultTitle', { location: placeLabel(byId.get(locationId ?? '')) })}
              subTitle={t('inventory.count.resultText', {
                n: result.adjustments.length,
                unchanged: result.unchanged,
              })}
              extra={<Button onClick={() => setTick((n) => n + 1)}>{t('inventory.count.again')}</Button>}
            />
            <Table<StockMove>
              rowKey="id"
              size="small"
              pagination={false}
              columns={adjustmentColumns}
              dataSource={result.adjustments}
              locale={{ emptyText: t('inventory.count.noAdjustments') }}
            />
          </Card>
        ) : locationId ? (
          <Card className="takt-card" size="small">
            <Flex vertical gap={12}>
              <Table<Line>
                rowKey="key"
                size="small"
                loading={loading}
                pagination={false}
                columns={columns}
                dataSource={lines}
                scroll={{ x: 760 }}
                locale={{
                  emptyText: (
                    <Empty
                      image={Empty.PRESENTED_IMAGE_SIMPLE}
                      description={t('inventory.count.emptyLocation')}
                    />
                  ),
                }}
              />
              <Flex gap={12} wrap align="center" justify="space-between">
                <Button
                  icon={<PlusOutlined />}
                  onClick={() =>
                    setLines((ls) => [
                      ...ls,
                      {
                        key: `new-${Date.now()}`,
                        itemId: null,
                        itemCode: '',
                        lot: '',
                        onHand: '0',
                        counted: '',
                        extra: true,
                      },
                    ])
                  }
                >
                  {t('inventory.count.addLine')}
                </Button>
                <Flex gap={8} wrap align="center">
                  <Input
                    className="takt-count-reason"
                    placeholder={t('inventory.count.reasonPlaceholder')}
                    aria-label={t('production.reason')}
                    value={reason}
                    maxLength={200}
                    onChange={(e) => setReason(e.target.value)}
                  />
                  <Button
                    type="primary"
                    loading={posting}
                    disabled={!canPost || counted.length === 0 || invalid || !reason.trim()}
                    onClick={submit}
                  >
                    {t('inventory.count.post', { n: counted.length })}
                  </Button>
                </Flex>
              </Flex>
              {postError ? <ProblemAlert error={postError} /> : null}
              <Alert type="info" showIcon title={t('inventory.count.help')} />
            </Flex>
          </Card>
        ) : (
          <Card className="takt-card">
            <Empty description={t('inventory.count.pickLocation')} />
          </Card>
        )}
      </Flex>
    </div>
  );
}

export default CountPage;
