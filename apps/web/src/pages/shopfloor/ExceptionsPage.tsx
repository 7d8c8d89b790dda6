import { ReloadOutlined } from '@ant-design/icons';
import type { FloorException } from '@takt/contracts';
import { Button, Image, Segmented, Select, Table, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, asApiError, isAbortError } from '../../api/client.ts';
import {
  EXCEPTION_KINDS,
  type ExceptionKindName,
  exceptionPhotoUrl,
  getFloor,
  listExceptions,
} from '../../api/shopfloor.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useThrottledCallback } from '../../hooks/useThrottledCallback.ts';
import { useFormat } from '../../i18n/format.ts';
import { useLiveEvents } from '../../live/LiveEvents.tsx';
import { LiveNote } from '../../live/LiveNote.tsx';
import { ExceptionActions, ExStateTag, KindTag, minutesSince, useMinutesText } from './common.tsx';
import './shopfloor.css';

type StateFilter = 'unresolved' | 'open' | 'acknowledged' | 'resolved' | 'all';

/** Problems raised on the floor: filter, acknowledge, assign, resolve; live. */
export function ExceptionsPage() {
  const { t } = useTranslation('shopfloor');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const minutesText = useMinutesText();
  const [stateFilter, setStateFilter] = useState<StateFilter>('unresolved');
  const [kind, setKind] = useState<ExceptionKindName | undefined>(undefined);
  const [rows, setRows] = useState<FloorException[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const [machineCodes, setMachineCodes] = useState<Map<string, string>>(new Map());
  const reload = useCallback(() => setTick((n) => n + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` triggers a reload
  useEffect(() => {
    const controller = new AbortController();
    const states: (undefined | 'open' | 'acknowledged' | 'resolved')[] =
      stateFilter === 'unresolved'
        ? ['open', 'acknowledged']
        : [stateFilter === 'all' ? undefined : stateFilter];
    setLoading(true);
    Promise.all(states.map((state) => listExceptions({ state, kind, limit: 500 }, controller.signal)))
      .then((pages) => {
        setRows(pages.flat().sort((a, b) => b.raisedAt.localeCompare(a.raisedAt)));
        setError(null);
        setNow(Date.now());
      })
      .catch((e: unknown) => {
        if (!isAbortError(e)) setError(asApiError(e));
      })
      .finally(() => setLoading(false));
    return () => controller.abort();
  }, [stateFilter, kind, tick]);

  useEffect(() => {
    const controller = new AbortController();
    getFloor(undefined, controller.signal)
      .then((machines) => setMachineCodes(new Map(machines.map((m) => [m.machineId, m.code]))))
      .catch(() => undefined);
    return () => controller.abort();
  }, []);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const liveReload = useThrottledCallback(reload, 1000);
  useLiveEvents(['exception'], () => liveReload(), { onResync: reload });

  const onChanged = useCallback(
    (next: FloorException | null) => {
      if (next) setRows((list) => list.map((r) => (r.id === next.id ? next : r)));
      reload();
    },
    [reload],
  );

  const columns = useMemo<TableColumnsType<FloorException>>(
    () => [
      { key: 'code', dataIndex: 'code', title: t('ex.code'), width: 120, fixed: 'left' },
      { key: 'kind', title: t('ex.kind'), width: 110, render: (_, r) => <KindTag kind={r.kind} /> },
      { key: 'state', title: t('ex.state'), width: 100, render: (_, r) => <ExStateTag state={r.state} /> },
      {
        key: 'machine',
        title: t('ex.machine'),
        width: 100,
        render: (_, r) => (r.machineId ? (machineCodes.get(r.machineId) ?? '…') : '—'),
      },
      {
        key: 'wo',
        title: t('ex.affected'),
        width: 170,
        render: (_, r) => (r.affected.length ? r.affected.map((a) => a.code).join(', ') : '—'),
      },
      {
        key: 'note',
        title: t('ex.note'),
        width: 240,
        render: (_, r) => (
          <div className="sf-note-cell">
            {r.note || '—'}
            {r.resolution ? (
              <div className="sf-muted">
                {t('ex.resolution')}: {r.resolution}
              </div>
            ) : null}
          </div>
        ),
      },
      {
        key: 'photo',
        title: t('ex.photo'),
        width: 90,
        render: (_, r) =>
          r.hasPhoto ? <Image src={exceptionPhotoUrl(r.id)} width={64} height={48} alt={r.code} /> : '—',
      },
      {
        key: 'raised',
        title: t('ex.raised'),
        width: 170,
        render: (_, r) => (
          <>
            {format.dateTime(r.raisedAt)}
            {r.raisedBy ? <div className="sf-muted">{t('ex.raisedBy', { name: r.raisedBy })}</div> : null}
          </>
        ),
      },
      { key: 'owner', title: t('ex.owner'), width: 110, render: (_, r) => r.owner ?? '—' },
      {
        key: 'ttr',
        title: t('ex.timeToResolve'),
        width: 130,
        render: (_, r) => {
          if (r.minutesToResolve !== null) return minutesText(r.minutesToResolve);
          const open = minutesSince(r.raisedAt, now);
          return open === null ? (
            '—'
          ) : (
            <span className="sf-muted">{t('ex.openFor', { time: minutesText(open) })}</span>
          );
        },
      },
      {
        key: 'actions',
        title: '',
        width: 220,
        render: (_, r) => <ExceptionActions ex={r} onChanged={onChanged} />,
      },
    ],
    [t, format, minutesText, now, onChanged, machineCodes],
  );

  return (
    <div className="takt-page">
      <PageHeader
        title={t('ex.title')}
        subtitle={t('ex.subtitle')}
        extra={
          <>
            <LiveNote />
            <Button icon={<ReloadOutlined />} loading={loading} onClick={reload}>
              {tc('common.refresh')}
            </Button>
          </>
        }
      />
      <div className="sf-filters">
        <Segmented<StateFilter>
          value={stateFilter}
          onChange={setStateFilter}
          aria-label={t('ex.state')}
          options={[
            { value: 'unresolved', label: t('ex.unresolved') },
            { value: 'open', label: t('exState.open') },
            { value: 'acknowledged', label: t('exState.acknowledged') },
            { value: 'resolved', label: t('exState.resolved') },
            { value: 'all', label: t('ex.allStates') },
          ]}
        />
        <Select
          allowClear
          className="sf-wc-select"
          placeholder={t('ex.allKinds')}
          aria-label={t('ex.kind')}
          value={kind ?? null}
          onChange={(v) => setKind(v ?? undefined)}
          options={EXCEPTION_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
        />
      </div>
      {error ? <ProblemAlert error={error} /> : null}
      <Table<FloorException>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={loading}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 1500 }}
        locale={{ emptyText: t('ex.none') }}
        data-testid="exceptions-table"
      />
    </div>
  );
}
