import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { CodeRule, DomainEvent } from '@takt/contracts';
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
  Typography,
} from 'antd';
import type { SortOrder } from 'antd/es/table/interface';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { listCodeRules } from '../../api/masterdata.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useAvailableHeight } from '../../hooks/useAvailableHeight.ts';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { useLoadMoreOnScroll } from '../../hooks/useLoadMoreOnScroll.ts';
import { useThrottledCallback } from '../../hooks/useThrottledCallback.ts';
import { CustomFieldFilter, customFilterOf } from '../customFields/CustomFieldFilter.tsx';
import { useFormat } from '../../i18n/format.ts';
import { useLiveEvents } from '../../live/LiveEvents.tsx';
import { LiveNote } from '../../live/LiveNote.tsx';
import { LoadMoreFooter } from '../LoadMoreFooter.tsx';
import { PageHeader } from '../PageHeader.tsx';
import { ProblemAlert } from '../ProblemAlert.tsx';
import { SheetTransfer } from '../sheets/SheetTransfer.tsx';
import { type DrawerMode, EntityDrawer } from './EntityDrawer.tsx';
import type { EntityConfig, EntityRow } from './types.ts';

const PAGE_SIZE = 100;
const ACTIVE = ['active', 'inactive', 'all'] as const;
type Active = (typeof ACTIVE)[number];
const SORTS = ['code', '-code', 'name', '-name', 'updatedAt', '-updatedAt'];

export function useDebounced<T>(value: T, wait: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), wait);
    return () => clearTimeout(timer);
  }, [value, wait]);
  return debounced;
}

/** The URL's query parameters as page state: filters survive a reload and can be shared as a link. */
export function useUrlState() {
  const [params, setParams] = useSearchParams();
  const update = useCallback(
    (patch: Record<string, string | undefined>) => {
      setParams(
        () => {
          // From the live URL, not the last render's: two quick changes in a row must both stay.
          const next = new URLSearchParams(window.location.search);
          for (const [k, v] of Object.entries(patch)) {
            if (v) next.set(k, v);
            else next.delete(k);
          }
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return [params, update] as const;
}

let codeRulesCache: Promise<CodeRule[]> | null = null;
/** The code rules change rarely: asked once per page load. */
export function useCodeRule(entity: string | undefined): CodeRule | undefined {
  const [rule, setRule] = useState<CodeRule>();
  useEffect(() => {
    if (!entity) return;
    codeRulesCache ??= listCodeRules().catch(() => {
      codeRulesCache = null;
      return [];
    });
    let alive = true;
    void codeRulesCache.then((rules) => {
      if (alive) setRule(rules.find((r) => r.entity === entity));
    });
    return () => {
      alive = false;
    };
  }, [entity]);
  return rule;
}

/**
 * A master-data list: server-side search, filters and sort kept in the URL, cursor pages in a virtual
 * table, live refresh, and a drawer to create and edit records.
 */
export function EntityListPage<T extends EntityRow, V extends object>({
  config,
}: {
  config: EntityConfig<T, V>;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const { can } = useAuth();
  const canCreate = can('masterdata:create');
  const canUpdate = can('masterdata:update');
  const canDelete = can('masterdata:delete');
  const [params, update] = useUrlState();
  const rule = useCodeRule(config.codeRule);

  const q = params.get('q') ?? '';
  const activeParam = params.get('active');
  const active: Active = (ACTIVE as readonly string[]).includes(activeParam ?? '')
    ? (activeParam as Active)
    : 'active';
  const sortParam = params.get('sort') ?? '';
  const sort = SORTS.includes(sortParam) ? sortParam : 'code';
  const filterValues: Record<string, string | undefined> = {};
  for (const f of config.filters ?? []) filterValues[f.key] = params.get(f.key) ?? undefined;
  const custom = config.customFields ? customFilterOf(params) : {};

  const [search, setSearch] = useState(q);
  const debounced = useDebounced(search.trim(), 350);
  useEffect(() => {
    if (debounced !== q) update({ q: debounced || undefined });
  }, [debounced, q, update]);

  const query = {
    ...(q ? { q } : {}),
    ...filterValues,
    ...custom,
    ...(active === 'all' ? {} : { active: active === 'active' }),
    sort,
  };
  const list = useCursorList<T>(
    (cursor, limit, signal) => config.api.list({ ...query, limit, cursor }, signal),
    `${config.api.path}:${JSON.stringify(query)}`,
    PAGE_SIZE,
  );
  const { reload } = list;

  const [drawer, setDrawer] = useState<DrawerMode<T> | null>(null);
  const [externalChange, setExternalChange] = useState(0);
  const liveReload = useThrottledCallback(reload, 1000);
  useLiveEvents(
    [config.topic],
    (event: DomainEvent) => {
      liveReload();
      if (drawer?.kind === 'edit' && drawer.entity.id === event.aggregateId) setExternalChange((n) => n + 1);
    },
    { onResync: reload },
  );

  const wrap = useRef<HTMLDivElement>(null);
  const height = useAvailableHeight(wrap, 150, 280);
  const onScroll = useLoadMoreOnScroll(list);

  const order = (field: string): SortOrder =>
    sort === field ? 'ascend' : sort === `-${field}` ? 'descend' : null;
  const open = (entity: T) => setDrawer({ kind: 'edit', entity });

  const columns: TableColumnsType<T> = [
    {
      key: 'code',
      dataIndex: 'code',
      title: t('md.columns.code'),
      width: 130,
      fixed: 'left',
      sorter: true,
      sortOrder: order('code'),
      sortDirections: ['ascend', 'descend', 'ascend'],
      render: (_, row) => (
        <Typography.Link className="takt-mono" onClick={() => open(row)}>
          {row.code}
        </Typography.Link>
      ),
    },
    {
      key: 'name',
      dataIndex: 'name',
      title: t('md.columns.name'),
      width: 220,
      sorter: true,
      sortOrder: order('name'),
      sortDirections: ['ascend', 'descend', 'ascend'],
      ellipsis: true,
    },
    ...config.columns,
    {
      key: 'active',
      dataIndex: 'active',
      title: t('md.columns.active'),
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
      title: t('md.columns.updatedAt'),
      width: 170,
      sorter: true,
      sortOrder: order('updatedAt'),
      sortDirections: ['descend', 'ascend', 'descend'],
      render: (value: string) => <span className="takt-nowrap">{format.dateTime(value)}</span>,
    },
  ];

  const onTableChange: TableProps<T>['onChange'] = (_p, _f, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const field = String(s?.columnKey ?? '');
    if (!s?.order || !['code', 'name', 'updatedAt'].includes(field)) {
      update({ sort: undefined });
      return;
    }
    const next = s.order === 'descend' ? `-${field}` : field;
    update({ sort: next === 'code' ? undefined : next });
  };

  const filtered = Boolean(
    q || active !== 'active' || custom.customField || Object.values(filterValues).some(Boolean),
  );
  const onSaved = (entity: T, created: boolean) => {
    setDrawer(null);
    if (created) reload();
    else list.setItems((rows) => rows.map((r) => (r.id === entity.id ? entity : r)));
  };

  return (
    <div className="takt-page">
      <PageHeader
        title={config.texts.title}
        subtitle={config.texts.subtitle}
        extra={
          <>
            <LiveNote />
            <Button icon={<ReloadOutlined />} onClick={reload}>
              {t('common.refresh')}
            </Button>
            {config.sheet ? (
              <SheetTransfer entity={config.sheet} noun={config.texts.noun} onImported={reload} />
            ) : null}
            {(config.moreSheets ?? []).map((s) => (
              <SheetTransfer key={s.entity} entity={s.entity} noun={s.noun} label={s.label} />
            ))}
            {canCreate ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ kind: 'create' })}>
                {config.texts.create}
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
              placeholder={t('md.searchPlaceholder')}
              aria-label={t('md.searchPlaceholder')}
              value={search}
              maxLength={100}
              onChange={(e) => setSearch(e.target.value)}
              onSearch={(v) => {
                setSearch(v);
                update({ q: v.trim() || undefined });
              }}
            />
            {(config.filters ?? []).map((f) =>
              f.render ? (
                <span key={f.key}>{f.render(filterValues[f.key], (v) => update({ [f.key]: v }))}</span>
              ) : (
                <Select
                  key={f.key}
                  allowClear
                  className="takt-type-filter"
                  placeholder={f.label}
                  aria-label={f.label}
                  value={filterValues[f.key]}
                  onChange={(v?: string) => update({ [f.key]: v })}
                  options={f.options}
                />
              ),
            )}
            {config.customFields ? (
              <CustomFieldFilter
                entity={config.customFields}
                value={custom}
                onChange={(next) => update({ customField: next.customField, customValue: next.customValue })}
              />
            ) : null}
            <Segmented<Active>
              value={active}
              onChange={(v) => update({ active: v === 'active' ? undefined : v })}
              options={ACTIVE.map((value) => ({ value, label: t(`items.activeFilter.${value}`) }))}
            />
            {filtered ? (
              <Button
                type="link"
                onClick={() => {
                  setSearch('');
                  const clear: Record<string, undefined> = {
                    q: undefined,
                    active: undefined,
                    customField: undefined,
                    customValue: undefined,
                  };
                  for (const f of config.filters ?? []) clear[f.key] = undefined;
                  update(clear);
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
          <div ref={wrap}>
            <Table<T>
              virtual
              rowKey="id"
              size="middle"
              columns={columns}
              dataSource={list.items}
              loading={list.loading}
              pagination={false}
              scroll={{ x: 610 + config.columnsWidth, y: height }}
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
                    description={filtered ? t('md.empty') : t('md.emptyAll')}
                  />
                ),
              }}
            />
          </div>
          <LoadMoreFooter list={list} />
        </Flex>
      </Card>
      <EntityDrawer<T, V>
        config={config}
        mode={drawer}
        rule={rule}
        onClose={() => setDrawer(null)}
        onSaved={onSaved}
        onDeleted={(id) => {
          setDrawer(null);
          list.setItems((rows) => rows.filter((r) => r.id !== id));
        }}
        externalChange={externalChange}
        canDelete={canDelete}
        // read-only users see the record; the server refuses changes anyway
        key={canUpdate ? 'rw' : 'ro'}
      />
    </div>
  );
}
