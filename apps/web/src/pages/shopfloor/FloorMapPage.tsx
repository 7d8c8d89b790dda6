import { ReloadOutlined, WarningOutlined } from '@ant-design/icons';
import type { FloorException, WorkCenter } from '@takt/contracts';
import {
  Button,
  Descriptions,
  Drawer,
  Empty,
  Image,
  List,
  Progress,
  Select,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type ApiError, asApiError, isAbortError } from '../../api/client.ts';
import { workCentersApi } from '../../api/masterdata.ts';
import {
  exceptionPhotoUrl,
  type FloorMachine,
  getFloor,
  listExceptions,
  MACHINE_STATES,
  type MachineState,
} from '../../api/shopfloor.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useThrottledCallback } from '../../hooks/useThrottledCallback.ts';
import { useFormat } from '../../i18n/format.ts';
import { useLiveEvents } from '../../live/LiveEvents.tsx';
import { LiveNote } from '../../live/LiveNote.tsx';
import {
  ExceptionActions,
  ExStateTag,
  KindTag,
  minutesSince,
  STATE_COLORS,
  useMinutesText,
} from './common.tsx';
import './shopfloor.css';

const LIVE_TOPICS = ['operation', 'machine', 'exception', 'workorder'];

function stateName(state: string): MachineState | null {
  return (MACHINE_STATES as readonly string[]).includes(state) ? (state as MachineState) : null;
}

/** Every machine as a tile, grouped by work center and coloured by state; live over SSE. */
export function FloorMapPage() {
  const { t } = useTranslation('shopfloor');
  const { t: tc } = useTranslation();
  const [machines, setMachines] = useState<FloorMachine[] | null>(null);
  const [open, setOpen] = useState<FloorException[]>([]);
  const [centers, setCenters] = useState<Map<string, WorkCenter>>(new Map());
  const [workCenterId, setWorkCenterId] = useState<string | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());

  const reload = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    workCentersApi
      .list({ limit: 200 }, controller.signal)
      .then((page) => setCenters(new Map(page.items.map((w) => [w.id, w]))))
      .catch(() => undefined);
    return () => controller.abort();
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` triggers a reload
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    Promise.all([
      getFloor(workCenterId, controller.signal),
      listExceptions({ state: 'open', limit: 500 }, controller.signal),
      listExceptions({ state: 'acknowledged', limit: 500 }, controller.signal),
    ])
      .then(([floor, opened, acked]) => {
        setMachines(floor);
        setOpen([...opened, ...acked]);
        setError(null);
        setNow(Date.now());
      })
      .catch((e: unknown) => {
        if (!isAbortError(e)) setError(asApiError(e));
      })
      .finally(() => setLoading(false));
    return () => controller.abort();
  }, [tick, workCenterId]);

  // Time in state moves on without events.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const liveReload = useThrottledCallback(reload, 1000);
  useLiveEvents(LIVE_TOPICS, () => liveReload(), { onResync: reload });

  const openByMachine = useMemo(() => {
    const map = new Map<string, FloorException[]>();
    for (const ex of open) {
      if (!ex.machineId) continue;
      map.set(ex.machineId, [...(map.get(ex.machineId) ?? []), ex]);
    }
    return map;
  }, [open]);

  const groups = useMemo(() => {
    const byCenter = new Map<string, FloorMachine[]>();
    for (const m of machines ?? [])
      byCenter.set(m.workCenterId, [...(byCenter.get(m.workCenterId) ?? []), m]);
    return [...byCenter.entries()]
      .map(([id, list]) => ({ id, center: centers.get(id) ?? null, list }))
      .sort((a, b) => (a.center?.code ?? '~').localeCompare(b.center?.code ?? '~'));
  }, [machines, centers]);

  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const m of machines ?? []) c[m.state] = (c[m.state] ?? 0) + 1;
    return c;
  }, [machines]);

  const current = machines?.find((m) => m.machineId === selected) ?? null;

  return (
    <div className="takt-page sf-floor">
      <PageHeader
        title={t('floor.title')}
        subtitle={t('floor.subtitle')}
        extra={
          <>
            <LiveNote />
            <Select
              className="sf-wc-select"
              allowClear
              placeholder={t('floor.allWorkCenters')}
              aria-label={t('floor.workCenter')}
              value={workCenterId ?? null}
              onChange={(v) => setWorkCenterId(v ?? undefined)}
              options={[...centers.values()]
                .sort((a, b) => a.code.localeCompare(b.code))
                .map((w) => ({ value: w.id, label: `${w.code} ${w.name}` }))}
            />
            <Button icon={<ReloadOutlined />} loading={loading} onClick={reload}>
              {tc('common.refresh')}
            </Button>
          </>
        }
      />
      {error ? <ProblemAlert error={error} /> : null}
      <div className="sf-legend" data-testid="floor-legend">
        {MACHINE_STATES.map((s) => (
          <span key={s} className="sf-legend-item">
            <span className="sf-dot" style={{ background: STATE_COLORS[s] }} />
            {t(`machineState.${s}`)} <b>{counts[s] ?? 0}</b>
          </span>
        ))}
      </div>
      {machines === null && !error ? <Spin className="sf-spin" /> : null}
      {machines?.length === 0 ? <Empty description={t('floor.noMachines')} /> : null}
      {groups.map((g) => (
        <section key={g.id} className="sf-group">
          <Typography.Title level={5} className="sf-group-title">
            {g.center ? `${g.center.code} · ${g.center.name}` : t('floor.unknownWorkCenter')}
          </Typography.Title>
          <div className="sf-grid">
            {g.list.map((m) => (
              <MachineTile
                key={m.machineId}
                machine={m}
                now={now}
                exceptions={openByMachine.get(m.machineId) ?? []}
                onOpen={() => setSelected(m.machineId)}
              />
            ))}
          </div>
        </section>
      ))}
      <Drawer
        open={current !== null}
        onClose={() => setSelected(null)}
        title={current ? t('floor.details', { code: current.code }) : ''}
        size="large"
        className="sf-drawer"
      >
        {current ? (
          <MachineDetails
            machine={current}
            exceptions={openByMachine.get(current.machineId) ?? []}
            now={now}
            onChanged={reload}
          />
        ) : null}
      </Drawer>
    </div>
  );
}

/** Since when the machine is in its state: the operation's status time, or the oldest open breakdown. */
function stateSince(m: FloorMachine, exceptions: FloorException[]): string | null {
  if (m.state === 'down') {
    const breakdowns = exceptions.filter((e) => e.kind === 'breakdown').map((e) => e.raisedAt);
    return breakdowns.sort()[0] ?? null;
  }
  return m.operation?.since ?? null;
}

function MachineTile({
  machine: m,
  exceptions,
  now,
  onOpen,
}: {
  machine: FloorMachine;
  exceptions: FloorException[];
  now: number;
  onOpen: () => void;
}) {
  const { t } = useTranslation('shopfloor');
  const minutesText = useMinutesText();
  const state = stateName(m.state);
  const since = minutesSince(stateSince(m, exceptions), now);
  const op = m.operation;
  return (
    <button
      type="button"
      className={`sf-tile sf-tile-${m.state}`}
      style={{ borderColor: STATE_COLORS[m.state] ?? '#d9d9d9' }}
      data-testid="machine-tile"
      data-machine={m.code}
      data-state={m.state}
      onClick={onOpen}
    >
      <div className="sf-tile-head" style={{ background: STATE_COLORS[m.state] ?? '#8c8c8c' }}>
        <span className="sf-tile-code">{m.code}</span>
        <span className="sf-tile-state" data-testid="tile-state">
          {state ? t(`machineState.${state}`) : m.state}
        </span>
      </div>
      <div className="sf-tile-body">
        <div className="sf-tile-name">{m.name}</div>
        {op ? (
          <>
            <div className="sf-tile-op">
              <b>{op.workOrderCode}</b> · {op.itemCode}
            </div>
            <div className="sf-tile-op">
              {op.seq} {op.name}
            </div>
            <div className="sf-tile-muted">{op.operatorName ?? t('floor.noOperator')}</div>
            <Progress
              percent={Math.round(op.progress * 100)}
              size="small"
              strokeColor={STATE_COLORS[m.state]}
              format={() => `${op.qtyGood}/${op.qtyPlanned}`}
            />
          </>
        ) : (
          <div className="sf-tile-muted">{t('floor.noWork')}</div>
        )}
        <div className="sf-tile-foot">
          <span>{since !== null ? t('floor.inState', { time: minutesText(since) }) : '\u00a0'}</span>
          {m.queued > 0 ? <Tag>{t('floor.queued', { count: m.queued })}</Tag> : null}
          {exceptions.length > 0 ? (
            <Tag color="red" icon={<WarningOutlined />} data-testid="tile-exceptions">
              {exceptions.length}
            </Tag>
          ) : null}
        </div>
      </div>
    </button>
  );
}

function MachineDetails({
  machine: m,
  exceptions,
  now,
  onChanged,
}: {
  machine: FloorMachine;
  exceptions: FloorException[];
  now: number;
  onChanged: () => void;
}) {
  const { t } = useTranslation('shopfloor');
  const format = useFormat();
  const minutesText = useMinutesText();
  const state = stateName(m.state);
  const op = m.operation;
  const since = minutesSince(stateSince(m, exceptions), now);
  return (
    <div data-testid="machine-details">
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('floor.status')}>
          <Tag color={STATE_COLORS[m.state]}>{state ? t(`machineState.${state}`) : m.state}</Tag>
          {m.name}
          {since !== null ? (
            <span className="sf-muted"> · {t('floor.inState', { time: minutesText(since) })}</span>
          ) : null}
        </Descriptions.Item>
        <Descriptions.Item label={t('floor.current')}>
          {op ? (
            <>
              <b>{op.workOrderCode}</b> · {op.itemCode} · {op.seq} {op.name}
            </>
          ) : (
            t('floor.noWork')
          )}
        </Descriptions.Item>
        {op ? (
          <>
            <Descriptions.Item label={t('floor.operator')}>
              {op.operatorName ?? t('floor.noOperator')}
            </Descriptions.Item>
            <Descriptions.Item label={t('floor.progress')}>
              <Progress percent={Math.round(op.progress * 100)} size="small" />
              {t('floor.good', { good: op.qtyGood, planned: op.qtyPlanned })}
            </Descriptions.Item>
          </>
        ) : null}
        <Descriptions.Item label={t('floor.queued', { count: m.queued })}>
          {m.lastReportAt ? t('floor.lastReport', { time: format.dateTime(m.lastReportAt) }) : '—'}
        </Descriptions.Item>
      </Descriptions>
      <div className="sf-drawer-head">
        <Typography.Title level={5}>{t('floor.exceptionsTitle')}</Typography.Title>
        <Link to={`/shop-floor/exceptions`}>{t('floor.allExceptions')}</Link>
      </div>
      <List
        dataSource={exceptions}
        locale={{ emptyText: t('floor.noExceptions') }}
        renderItem={(ex) => (
          <List.Item key={ex.id} data-testid="machine-exception">
            <div className="sf-ex-item">
              <div>
                <b>{ex.code}</b> <KindTag kind={ex.kind} />
                <ExStateTag state={ex.state} />
                <span className="sf-muted">{format.dateTime(ex.raisedAt)}</span>
              </div>
              {ex.note ? <div>{ex.note}</div> : null}
              {ex.owner ? (
                <div className="sf-muted">
                  {t('ex.owner')}: {ex.owner}
                </div>
              ) : null}
              {ex.hasPhoto ? <Image src={exceptionPhotoUrl(ex.id)} width={120} alt={ex.code} /> : null}
              <ExceptionActions ex={ex} onChanged={onChanged} />
            </div>
          </List.Item>
        )}
      />
    </div>
  );
}
