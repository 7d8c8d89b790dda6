import { EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { DomainEvent, Item, ItemListQuery } from '@takt/contracts';
import {
  Badge,
  Button,
  Card,
  Empty,
  Flex,
  Input,
  Segmented,
  Select,
  Table,
  type TableColumnsType,
  type TableProps,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { SortOrder } from 'antd/es/table/interface';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ITEM_SORTS, ITEM_TYPES, type ItemSort, listItems } from '../../api/items.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useUrlState } from '../../components/entity/EntityListPage.tsx';
import { LoadMoreFooter } from '../../components/LoadMoreFooter.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useUrlText } from '../../components/UrlFilters.tsx';
import { CustomFieldFilter, customFilterOf } from '../../components/customFields/CustomFieldFilter.tsx';
import { SheetTransfer } from '../../components/sheets/SheetTransfer.tsx';
import { useAvailableHeight } from '../../hooks/useAvailableHeight.ts';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { useLoadMoreOnScroll } from '../../hooks/useLoadMoreOnScroll.ts';
import { useThrottledCallback } from '../../hooks/useThrottledCallback.ts';
import { useFormat } from '../../i18n/format.ts';
import { useLiveEvents } from '../../live/LiveEvents.tsx';
import { LiveNote } from '../../live/LiveNote.tsx';
import { ItemDrawer, type ItemDrawerMode } from './ItemDrawer.tsx';

const PAGE_SIZE = 100;
const ACTIVE_FILTERS = ['active', 'inactive', 'all'] as const;
type ActiveFilter = (typeof ACTIVE_FILTERS)[number];

const TYPE_COLORS: Record<string, string> = {
  raw: 'geekblue',
  purchased: 'cyan',
  semi_finished: 'purple',
  finished: 'green',
  consumable: 'gold',
  tool: 'volcano',
};

function isSort(value: string | null): value is ItemSort {
  return value !== null && (ITEM_SORTS as readonly string[]).includes(value);
}

export function ItemsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { can } = useAuth();
  const canCreate = can('masterdata:create');
  const canUpdate = can('masterdata:update');
  const [params, update] = useUrlState();

  const q = params.get('q') ?? '';
  const typeParam = params.get('type');
  const type = ITEM_TYPES.find((value) => value === typeParam);
  const activeParam = params.get('active');
  const active: ActiveFilter = (ACTIVE_FILTERS as readonly string[]).includes(activeParam ?? '')
    ? (activeParam as ActiveFilter)
    : 'active';
  const sortParam = params.get('sort');
  const sort: ItemSort = isSort(sortParam) ? sortParam : 'code';
  const custom = customFilterOf(params);

  const [search, setSearch] = useUrlText('q', 350);

  const query: ItemListQuery = {
    ...(q ? { q } : {}),
    ...(type ? { type } : {}),
    ...custom,
    ...(active === 'all' ? {} : { active: active === 'active' }),
    sort,
  };
  const list = useCursorList<Item>(
    (cursor, limit, signal) => listItems({ ...query, limit, ...(cursor ? { cursor } : {}) }, signal),
    JSON.stringify(query),
    PAGE_SIZE,
  );
  const { reload } = list;

  const [drawer, setDrawer] = useState<ItemDrawerMode | null>(null);
  const [externalChange, setExternalChange] = useState(0);

  const liveReload = useThrottledCallback(reload, 1000);
  useLiveEvents(
    ['item'],
    (event: DomainEvent) => {
      liveReload();
      if (drawer?.kind === 'edit' && drawer.item.id === event.aggregateId) setExternalChange((n) => n + 1);
    },
    { onResync: reload },
  );

  const tableWrap = useRef<HTMLDivElement>(null);
  const tableHeight = useAvailableHeight(tableWrap, 150, 280);

  const onScroll = useLoadMoreOnScroll(list);

  const sortOrder = (field: 'code' | 'name' | 'updatedAt'): SortOrder =>
    sort === field ? 'ascend' : sort === `-${field}` ? 'descend' : null;

  const columns: TableColumnsType<Item> = [
    {
      key: 'code',
      dataIndex: 'code',
      title: t('items.columns.code'),
      width: 140,
      fixed: 'left',
      sorter: true,
      sortOrder: sortOrder('code'),
      sortDirections: ['ascend', 'descend', 'ascend'],
      render: (_, item) =>
        canUpdate ? (
          <Typography.Link className="takt-mono" onClick={() => setDrawer({ kind: 'edit', item })}>
            {item.code}
          </Typography.Link>
        ) : (
          <Typography.Text className="takt-mono">{item.code}</Typography.Text>
        ),
    },
    {
      key: 'name',
      dataIndex: 'name',
      title: t('items.columns.name'),
      width: 210,
      sorter: true,
      sortOrder: sortOrder('name'),
      sortDirections: ['ascend', 'descend', 'ascend'],
      render: (_, item) => (
        <Flex vertical className="takt-cell-stack">
          <Typography.Text ellipsis={{ tooltip: item.name }}>{item.name}</Typography.Text>
          {item.spec ? (
            <Typography.Text type="secondary" className="takt-small" ellipsis={{ tooltip: item.spec }}>
              {item.spec}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      key: 'type',
      dataIndex: 'type',
      title: t('items.columns.type'),
      width: 120,
      render: (value: string) => (
        <Tag color={TYPE_COLORS[value] ?? 'default'}>
          {(ITEM_TYPES as readonly string[]).includes(value)
            ? t(`items.types.${value as (typeof ITEM_TYPES)[number]}`)
            : value}
        </Tag>
      ),
    },
    { key: 'uom', dataIndex: 'uom', title: t('items.columns.uom'), width: 80 },
    {
      key: 'safetyStock',
      dataIndex: 'safetyStock',
      title: t('items.columns.safetyStock'),
      width: 110,
      align: 'right',
      render: (value: string) => <span className="takt-num">{format.decimal(value)}</span>,
    },
    {
      key: 'standardCost',
      dataIndex: 'standardCost',
      title: t('items.columns.standardCost'),
      width: 120,
      align: 'right',
      render: (value: string) => <span className="takt-num">{format.decimal(value, 2)}</span>,
    },
    {
      key: 'active',
      dataIndex: 'active',
      title: t('items.columns.active'),
      width: 90,
      render: (value: boolean) =>
        value ? (
          <Badge status="success" text={t('items.active')} />
        ) : (
          <Badge status="default" text={t('items.inactive')} />
        ),
    },
    {
      key: 'updatedAt',
      dataIndex: 'updatedAt',
      title: t('items.columns.updatedAt'),
      width: 170,
      sorter: true,
      sortOrder: sortOrder('updatedAt'),
      sortDirections: ['descend', 'ascend', 'descend'],
      render: (value: string) => <span className="takt-nowrap">{format.dateTime(value)}</span>,
    },
    ...(canUpdate
      ? [
          {
            key: 'actions',
            title: <span className="takt-visually-hidden">{t('items.columns.actions')}</span>,
            width: 64,
            fixed: 'right' as const,
            render: (_: unknown, item: Item) => (
              <Tooltip title={t('common.edit')}>
                <Button
                  type="text"
                  icon={<EditOutlined />}
                  aria-label={`${t('common.edit')} ${item.code}`}
                  className="takt-icon-button"
                  onClick={() => setDrawer({ kind: 'edit', item })}
                />
              </Tooltip>
            ),
          },
        ]
      : []),
  ];

  const onTableChange: TableProps<Item>['onChange'] = (_pagination, _filters, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const field = s?.columnKey;
    if (!s?.order || (field !== 'code' && field !== 'name' && field !== 'updatedAt')) {
      update({ sort: undefined });
      return;
    }
    const next = s.order === 'descend' ? `-${field}` : field;
    update({ sort: next === 'code' ? undefined : next });
  };

  const filtered = Boolean(q || type || active !== 'active' || custom.customField);
  const onSaved = (item: Item, created: boolean) => {
    setDrawer(null);
    if (created) reload();
    else list.setItems((items) => items.map((i) => (i.id === item.id ? item : i)));
  };

  return (
    <div className="takt-page">
      <PageHeader
        title={t('items.title')}
        subtitle={t('items.subtitle')}
        extra={
          <>
            <LiveNote />
            <Button icon={<ReloadOutlined />} onClick={reload}>
              {t('common.refresh')}
            </Button>
            <SheetTransfer entity="items" noun={t('items.title')} onImported={reload} />
            {canCreate ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ kind: 'create' })}>
                {t('items.new')}
              </Button>
            ) : null}
          </>
        }
      />
      <Card className="takt-card">
        <Flex vertical gap={12}>
          <Flex gap={12} wrap align="center" className="takt-toolbar">
            <Input.Search
              allowClear
              className="takt-search"
              placeholder={t('items.searchPlaceholder')}
              aria-label={t('items.searchPlaceholder')}
              value={search}
              maxLength={100}
              onChange={(e) => setSearch(e.target.value)}
              onSearch={(v) => {
                setSearch(v);
                update({ q: v.trim() || undefined });
              }}
            />
            <Select
              allowClear
              className="takt-type-filter"
              placeholder={t('items.allTypes')}
              aria-label={t('items.typeFilter')}
              value={type}
              onChange={(v?: string) => update({ type: v })}
              options={ITEM_TYPES.map((value) => ({ value, label: t(`items.types.${value}`) }))}
            />
            <CustomFieldFilter
              entity="items"
              value={custom}
              onChange={(next) => update({ customField: next.customField, customValue: next.customValue })}
            />
            <Segmented<ActiveFilter>
              value={active}
              onChange={(v) => update({ active: v === 'active' ? undefined : v })}
              options={ACTIVE_FILTERS.map((value) => ({ value, label: t(`items.activeFilter.${value}`) }))}
            />
            {filtered ? (
              <Button
                type="link"
                onClick={() => {
                  setSearch('');
                  update({
                    q: undefined,
                    type: undefined,
                    active: undefined,
                    customField: undefined,
                    customValue: undefined,
                  });
                }}
              >
                {t('common.reset')}
              </Button>
            ) : null}
          </Flex>
          {list.error ? (
            <ProblemAlert
              error={list.error}
              title={t('errors.loadFailed')}
              action={<Button onClick={reload}>{t('common.retry')}</Button>}
            />
          ) : null}
          <div ref={tableWrap}>
            <Table<Item>
              virtual
              rowKey="id"
              size="middle"
              columns={columns}
              dataSource={list.items}
              loading={list.loading}
              pagination={false}
              scroll={{ x: canUpdate ? 1104 : 1040, y: tableHeight }}
              onChange={onTableChange}
              onScroll={onScroll}
              showSorterTooltip={false}
              locale={{
                emptyText: list.loading ? (
                  <div className="takt-table-empty" />
                ) : (
                  <Empty
                    className="takt-table-empty"
                    image={Empty.PRESENTED_IMAGE_SIMPLE}
                    description={filtered ? t('items.empty') : t('items.emptyAll')}
                  />
                ),
              }}
            />
          </div>
          <LoadMoreFooter list={list} />
        </Flex>
      </Card>
      <ItemDrawer
        mode={drawer}
        onClose={() => setDrawer(null)}
        onSaved={onSaved}
        externalChange={externalChange}
      />
    </div>
  );
}

export default ItemsPage;
