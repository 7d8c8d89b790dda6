import { PlusOutlined, ReloadOutlined, RollbackOutlined } from '@ant-design/icons';
import type { MoveListQuery, StockMove } from '@takt/contracts';
import {
  App,
  Button,
  Card,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Segmented,
  Select,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import type { TFunction } from 'i18next';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { asApiError } from '../../api/client.ts';
import {
  listMoves,
  MOVE_KINDS,
  type MoveKindName,
  movesExportUrl,
  reverseMove,
} from '../../api/inventory.ts';
import { itemsApi } from '../../api/masterdata.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useUrlState } from '../../components/entity/EntityListPage.tsx';
import { ExportMenu } from '../../components/ExportMenu.tsx';
import { LoadMoreFooter } from '../../components/LoadMoreFooter.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { RefSelect } from '../../components/RefSelect.tsx';
import { useAvailableHeight } from '../../hooks/useAvailableHeight.ts';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { useLoadMoreOnScroll } from '../../hooks/useLoadMoreOnScroll.ts';
import { useThrottledCallback } from '../../hooks/useThrottledCallback.ts';
import { useFormat } from '../../i18n/format.ts';
import { useLiveEvents } from '../../live/LiveEvents.tsx';
import { LiveNote } from '../../live/LiveNote.tsx';
import { refusalText } from '../production/common.tsx';
import { useItemLabels } from './itemLabels.ts';
import { MoveDrawer } from './MoveDrawer.tsx';
import { PlaceSelect, usePlaces } from './places.tsx';
import '../production/filters.css';

const PAGE_SIZE = 100;
const REF_TYPES = ['work_order', 'purchase_order', 'shipment', 'count'] as const;

const KIND_COLORS: Record<MoveKindName, string> = {
  receipt: 'green',
  issue: 'blue',
  return: 'cyan',
  output: 'geekblue',
  scrap: 'red',
  transfer: 'purple',
  shipment: 'gold',
  adjustment_in: 'lime',
  adjustment_out: 'orange',
};

function kindText(t: TFunction, kind: string): string {
  return (MOVE_KINDS as readonly string[]).includes(kind)
    ? t(`inventory.kinds.${kind as MoveKindName}`)
    : kind;
}

/** The stock ledger, newest first; a move is undone by posting its reversal. */
export function MovesPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { message } = App.useApp();
  const { can } = useAuth();
  const canPost = can('inventory:create');
  const { byId } = usePlaces();
  const [params, update] = useUrlState();
  const itemId = params.get('itemId') ?? undefined;
  const locationId = params.get('locationId') ?? undefined;
  const refType = params.get('refType') ?? undefined;
  const archived = params.get('archived') === '1';

  const query: MoveListQuery = {
    ...(itemId ? { itemId } : {}),
    ...(locationId ? { locationId } : {}),
    ...(refType ? { refType } : {}),
    ...(archived ? { archived: true } : {}),
  };
  const list = useCursorList<StockMove>(
    (cursor, limit, signal) => listMoves({ ...query, limit, ...(cursor ? { cursor } : {}) }, signal),
    JSON.stringify(query),
    PAGE_SIZE,
  );
  const { reload } = list;
  const liveReload = useThrottledCallback(reload, 800);
  useLiveEvents(['stock'], () => liveReload(), { onResync: reload });
  const items = useItemLabels(list.items.map((m) => m.itemId));

  const [posting, setPosting] = useState(false);
  const [reversing, setReversing] = useState<StockMove | null>(null);
  const [reverseBusy, setReverseBusy] = useState(false);
  const [reverseForm] = Form.useForm<{ reason: string }>();

  const wrap = useRef<HTMLDivElement>(null);
  const height = useAvailableHeight(wrap, 150, 280);
  const onScroll = useLoadMoreOnScroll(list);

  const place = (id: string | null) => {
    if (!id) return <Typography.Text type="secondary">—</Typography.Text>;
    const p = byId.get(id);
    return <span className="takt-mono">{p ? p.code : id.slice(0, 8)}</span>;
  };

  const reversedIds = new Set(list.items.map((m) => m.reversesId).filter(Boolean));
  const columns: TableColumnsType<StockMove> = [
    {
      key: 'at',
      title: t('inventory.columns.at'),
      width: 170,
      render: (_, m) => <span className="takt-nowrap">{format.dateTime(m.createdAt)}</span>,
    },
    {
      key: 'kind',
      title: t('inventory.columns.kind'),
      width: 120,
      render: (_, m) => <Tag color={KIND_COLORS[m.kind]}>{kindText(t, m.kind)}</Tag>,
    },
    {
      key: 'item',
      title: t('inventory.columns.item'),
      width: 220,
      render: (_, m) => {
        const it = items.get(m.itemId);
        return it ? (
          <Flex vertical className="takt-cell-stack">
            <span className="takt-mono">{it.code}</span>
            <Typography.Text type="secondary" className="takt-small" ellipsis={{ tooltip: it.name }}>
              {it.name}
            </Typography.Text>
          </Flex>
        ) : (
          <span className="takt-mono">{m.itemId.slice(0, 8)}</span>
        );
      },
    },
    {
      key: 'qty',
      title: t('inventory.columns.qty'),
      width: 100,
      align: 'right',
      render: (_, m) => <span className="takt-num">{format.decimal(m.qty)}</span>,
    },
    {
      key: 'from',
      title: t('inventory.columns.from'),
      width: 110,
      render: (_, m) => place(m.fromLocationId),
    },
    { key: 'to', title: t('inventory.columns.to'), width: 110, render: (_, m) => place(m.toLocationId) },
    {
      key: 'lot',
      title: t('production.lot'),
      width: 120,
      render: (_, m) => <span className="takt-mono">{m.lot ?? '—'}</span>,
    },
    {
      key: 'reason',
      title: t('production.reason'),
      width: 200,
      render: (_, m) => (
        <Flex vertical className="takt-cell-stack">
          <Typography.Text ellipsis={{ tooltip: m.reason }}>{m.reason ?? ''}</Typography.Text>
          {m.ref ? (
            <Typography.Text type="secondary" className="takt-small">
              {m.ref.type} {m.ref.id.slice(0, 8)}
            </Typography.Text>
          ) : null}
          {m.reversesId ? (
            <Typography.Text type="secondary" className="takt-small">
              {t('inventory.reversal')}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    ...(canPost && !archived
      ? [
          {
            key: 'reverse',
            width: 110,
            fixed: 'right' as const,
            render: (_: unknown, m: StockMove) =>
              m.reversesId || reversedIds.has(m.id) ? null : (
                <Button
                  size="small"
                  icon={<RollbackOutlined />}
                  onClick={() => {
                    reverseForm.resetFields();
                    setReversing(m);
                  }}
                >
                  {t('inventory.reverse.button')}
                </Button>
              ),
          },
        ]
      : []),
  ];

  const doReverse = async ({ reason }: { reason: string }) => {
    if (!reversing) return;
    setReverseBusy(true);
    try {
      await reverseMove(reversing.id, reason.trim());
      message.success(t('inventory.reverse.done'));
      setReversing(null);
      reload();
    } catch (e) {
      message.error(refusalText(t, asApiError(e)));
    } finally {
      setReverseBusy(false);
    }
  };

  const filtered = Boolean(itemId || locationId || refType);
  return (
    <div className="takt-page">
      <PageHeader
        title={t('inventory.moves.title')}
        subtitle={t('inventory.moves.subtitle')}
        extra={
          <>
            <LiveNote />
            <Button icon={<ReloadOutlined />} onClick={reload}>
              {t('common.refresh')}
            </Button>
            {canPost ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setPosting(true)}>
                {t('inventory.move.new')}
              </Button>
            ) : null}
          </>
        }
      />
      <Card className="takt-card">
        <Flex vertical gap={12}>
          <Flex gap={12} wrap align="center" className="takt-toolbar">
            <Segmented<'current' | 'archived'>
              aria-label={t('inventory.moves.scope')}
              value={archived ? 'archived' : 'current'}
              onChange={(v) => update({ archived: v === 'archived' ? '1' : undefined })}
              options={[
                { value: 'current', label: t('production.list.current') },
                { value: 'archived', label: t('production.list.archived') },
              ]}
            />
            <RefSelect
              api={itemsApi}
              allowClear
              className="takt-inv-item-filter"
              placeholder={t('production.list.anyItem')}
              aria-label={t('inventory.columns.item')}
              value={itemId ?? null}
              onChange={(v) => update({ itemId: typeof v === 'string' ? v : undefined })}
            />
            <PlaceSelect
              allowClear
              className="takt-inv-location-filter"
              placeholder={t('inventory.allLocations')}
              aria-label={t('inventory.columns.location')}
              value={locationId ?? null}
              onChange={(v) => update({ locationId: v })}
            />
            <Select
              allowClear
              className="takt-type-filter"
              placeholder={t('inventory.anyRef')}
              aria-label={t('inventory.refType')}
              value={refType}
              onChange={(v?: string) => update({ refType: v })}
              options={REF_TYPES.map((r) => ({ value: r, label: t(`inventory.refTypes.${r}`) }))}
            />
            {filtered ? (
              <Button
                type="link"
                onClick={() => update({ itemId: undefined, locationId: undefined, refType: undefined })}
              >
                {t('common.reset')}
              </Button>
            ) : null}
            <ExportMenu url={(f) => movesExportUrl(query, f)} />
          </Flex>
          {archived ? (
            <Typography.Text type="secondary" data-testid="moves-archive-note">
              {t('inventory.moves.archivedNote')}
            </Typography.Text>
          ) : null}
          {list.error ? (
            <ProblemAlert
              error={list.error}
              title={t('errors.loadFailed')}
              action={<Button onClick={reload}>{t('common.retry')}</Button>}
            />
          ) : null}
          <div ref={wrap}>
            <Table<StockMove>
              virtual
              rowKey="id"
              size="middle"
              columns={columns}
              dataSource={list.items}
              loading={list.loading}
              pagination={false}
              scroll={{ x: 1270, y: height }}
              onScroll={onScroll}
              locale={{
                emptyText: list.loading ? (
                  <div className="takt-table-empty" />
                ) : (
                  <Empty
                    className="takt-table-empty"
                    image={Empty.PRESENTED_IMAGE_SIMPLE}
                    description={t(archived ? 'inventory.moves.archivedEmpty' : 'inventory.moves.empty')}
                  />
                ),
              }}
            />
          </div>
          <LoadMoreFooter list={list} />
        </Flex>
      </Card>
      <MoveDrawer
        open={posting}
        onClose={() => setPosting(false)}
        onPosted={() => {
          setPosting(false);
          reload();
        }}
      />
      <Modal
        open={reversing !== null}
        title={t('inventory.reverse.title')}
        okText={t('inventory.reverse.button')}
        okButtonProps={{ danger: true, loading: reverseBusy }}
        cancelText={t('common.cancel')}
        onCancel={() => !reverseBusy && setReversing(null)}
        onOk={() => reverseForm.submit()}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('inventory.reverse.help')}</Typography.Paragraph>
        <Form form={reverseForm} layout="vertical" onFinish={doReverse}>
          <Form.Item
            name="reason"
            label={t('production.reason')}
            rules={[{ required: true, whitespace: true, message: t('production.form.reasonRequired') }]}
          >
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

export default MovesPage;
