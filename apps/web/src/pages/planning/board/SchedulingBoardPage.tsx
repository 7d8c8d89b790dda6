import {
  FieldTimeOutlined,
  HistoryOutlined,
  PushpinOutlined,
  ReloadOutlined,
  SendOutlined,
  ThunderboltOutlined,
} from '@ant-design/icons';
import type {
  Machine,
  ScheduleAssignment,
  ScheduleKpis,
  ScheduleMoveResult,
  ScheduleRun,
  ScheduleRunDetail,
  WorkCenter,
} from '@takt/contracts';
import {
  Alert,
  App,
  Button,
  Drawer,
  Empty,
  Flex,
  Modal,
  Progress,
  Segmented,
  Space,
  Spin,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { asApiError, isAbortError } from '../../../api/client.ts';
import { machinesApi, workCentersApi } from '../../../api/masterdata.ts';
import {
  checkMove,
  getMachineAvailability,
  getScheduleRun,
  listAssignments,
  listPins,
  listScheduleRuns,
  pinOperation,
  publishScheduleRun,
  startScheduleRun,
  unpinOperation,
} from '../../../api/scheduling.ts';
import { useAuth } from '../../../auth/AuthContext.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { problemText } from '../../../components/ProblemAlert.tsx';
import { useFormat } from '../../../i18n/format.ts';
import { useLiveEvents } from '../../../live/LiveEvents.tsx';
import { GanttChart, type MoveFeedback } from './GanttChart.tsx';
import {
  type Band,
  type Bar,
  type BoardRow,
  type BoardView,
  DAY,
  dueEndMs,
  GROUP_HEIGHT,
  hueOf,
  offShiftBands,
  orderRows,
  ROW_HEIGHT,
  startOfDay,
  VIEWS,
  ZOOMS,
  type Zoom,
} from './timeline.ts';
import './board.css';

const BUDGETS = [1, 5, 10] as const;
/** Conflicts that only warn: the move is still allowed. */
const SOFT_CONFLICTS = new Set(['DUE_DATE_MISSED']);
const RUN_COLORS: Record<ScheduleRun['status'], string> = {
  queued: 'default',
  running: 'processing',
  done: 'green',
  failed: 'red',
};

function blocking(result: ScheduleMoveResult): boolean {
  return result.conflicts.some((c) => !SOFT_CONFLICTS.has(c.code));
}

function minutesText(min: number): string {
  if (min < 60) return `${Math.round(min)} min`;
  if (min < 48 * 60) return `${(min / 60).toFixed(1)} h`;
  return `${(min / 1440).toFixed(1)} d`;
}

/** Planning → Scheduling board: a Gantt of the plan by machine, manual moves with checks, reschedule and publish. */
export function SchedulingBoardPage() {
  const { t, i18n } = useTranslation('scheduling');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const { message } = App.useApp();
  const { can } = useAuth();
  const canMove = can('scheduling:update');
  const canRun = can('scheduling:execute');
  const [params, setParams] = useSearchParams();
  const zoom: Zoom = (ZOOMS as readonly string[]).includes(params.get('zoom') ?? '')
    ? (params.get('zoom') as Zoom)
    : 'day';
  const view: BoardView = params.get('view') === 'order' ? 'order' : 'machine';
  const setParam = (key: string, value: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        next.set(key, value);
        return next;
      },
      { replace: true },
    );

  const [runs, setRuns] = useState<ScheduleRun[]>([]);
  const [runsLoaded, setRunsLoaded] = useState(false);
  const [machines, setMachines] = useState<Machine[]>([]);
  const [workCenters, setWorkCenters] = useState<WorkCenter[]>([]);
  const [assignments, setAssignments] = useState<ScheduleAssignment[]>([]);
  const [pinned, setPinned] = useState<Set<string>>(new Set());
  const [detail, setDetail] = useState<ScheduleRunDetail | null>(null);
  const [loading, setLoading] = useState(false);
  const [availability, setAvailability] = useState<Map<string, Band[]>>(new Map());
  const [feedback, setFeedback] = useState<MoveFeedback | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [budget, setBudget] = useState<number>(5);
  const [activeRun, setActiveRun] = useState<{ id: string; progress: number } | null>(null);
  const [compare, setCompare] = useState<ScheduleRunDetail | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [drawer, setDrawer] = useState(false);
  const [scrollTo, setScrollTo] = useState<{ ms: number; n: number } | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const previousRun = useRef<string | null>(null);

  const reloadRuns = useCallback(async () => {
    try {
      const page = await listScheduleRuns({ limit: 30 });
      setRuns(page.items);
    } catch (e) {
      if (!isAbortError(e)) message.error(problemText(tc, asApiError(e)));
    } finally {
      setRunsLoaded(true);
    }
  }, [message, tc]);

  const reloadPins = useCallback(async () => {
    try {
      const pins = await listPins();
      setPinned(new Set(pins.items.map((p) => p.operationId)));
    } catch {
      // pins only decorate the bars
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    void reloadRuns();
    void reloadPins();
    Promise.all([machinesApi.list({ limit: 500 }, signal), workCentersApi.list({ limit: 500 }, signal)])
      .then(([m, w]) => {
        setMachines(m.items.filter((x) => x.active));
        setWorkCenters(w.items);
      })
      .catch((e) => {
        if (!isAbortError(e)) message.error(problemText(tc, asApiError(e)));
      });
    return () => controller.abort();
  }, [reloadRuns, reloadPins, message, tc]);

  const runParam = params.get('run');
  const selectedRun =
    runs.find((r) => r.id === runParam) ?? (runParam ? undefined : runs.find((r) => r.status === 'done'));
  const runId = selectedRun?.status === 'done' ? selectedRun.id : null;

  // The plan of the selected run.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadKey asks for a fresh copy
  useEffect(() => {
    if (!runId) {
      setAssignments([]);
      setDetail(null);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    Promise.all([listAssignments(runId, {}, controller.signal), getScheduleRun(runId, controller.signal)])
      .then(([a, d]) => {
        setAssignments(a.items);
        setDetail(d);
        setFeedback(null);
      })
      .catch((e) => {
        if (!isAbortError(e)) message.error(problemText(tc, asApiError(e)));
      })
      .finally(() => setLoading(false));
    return () => controller.abort();
  }, [runId, reloadKey, message, tc]);

  // The time range: from the plan's origin (or first operation) to a day after its last one.
  const range = useMemo(() => {
    let lo = selectedRun ? Date.parse(selectedRun.origin) : Date.now();
    let hi = lo + 7 * DAY;
    for (const a of assignments) {
      lo = Math.min(lo, Date.parse(a.start));
      hi = Math.max(hi, Date.parse(a.end));
    }
    const from = startOfDay(lo) - DAY;
    const to = Math.min(startOfDay(hi) + 3 * DAY, from + 180 * DAY);
    return { from, to };
  }, [assignments, selectedRun]);

  // Off-shift bands, fetched for the rows that come into view.
  const requested = useRef(new Set<string>());
  const arrived = useRef(new Map<string, Band[]>());
  const flush = useRef<number | null>(null);
  useEffect(
    () => () => {
      if (flush.current !== null) cancelAnimationFrame(flush.current);
    },
    [],
  );
  const rangeKey = `${range.from}-${range.to}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new range starts a new cache
  useEffect(() => {
    requested.current = new Set();
    setAvailability(new Map());
  }, [rangeKey]);
  const onVisibleMachines = useCallback(
    (ids: string[]) => {
      const missing = ids.filter((id) => !requested.current.has(id));
      if (missing.length === 0) return;
      for (const id of missing) requested.current.add(id);
      const fromIso = new Date(range.from).toISOString();
      const toIso = new Date(range.to).toISOString();
      for (const id of missing) {
        getMachineAvailability(id, fromIso, toIso)
          .then((a) => {
            const bands = offShiftBands(a.intervals, range.from, range.to);
            arrived.current.set(id, bands);
            // Answers for the rows coming into view are applied together, once a frame.
            if (flush.current === null)
              flush.current = requestAnimationFrame(() => {
                flush.current = null;
                const add = arrived.current;
                arrived.current = new Map();
                setAvailability((m) => new Map([...m, ...add]));
              });
          })
          .catch(() => {
            requested.current.delete(id);
          });
      }
    },
    [range.from, range.to],
  );
  // The other machines' bands are fetched in the background, a few at a time, so that scrolling
  // finds them ready.
  useEffect(() => {
    if (view !== 'machine' || !runId || machines.length === 0) return;
    let cancelled = false;
    const queue = machines.map((m) => m.id);
    const next = () => {
      if (cancelled) return;
      const batch: string[] = [];
      while (batch.length < 4 && queue.length > 0) {
        const id = queue.shift() as string;
        if (!requested.current.has(id)) batch.push(id);
      }
      if (batch.length === 0) return;
      onVisibleMachines(batch);
      timer = setTimeout(next, 150);
    };
    let timer = setTimeout(next, 500);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [view, runId, machines, onVisibleMachines]);

  const machineRows = useMemo(() => {
    const centers = [...workCenters].sort((a, b) => a.code.localeCompare(b.code));
    const known = new Set(centers.map((c) => c.id));
    const groups: { key: string; label: string; machines: Machine[] }[] = centers.map((c) => ({
      key: c.id,
      label: `${c.code} · ${c.name}`,
      machines: [],
    }));
    const other = { key: '__other', label: t('workCenterNone'), machines: [] as Machine[] };
    for (const m of [...machines].sort((a, b) => a.code.localeCompare(b.code))) {
      const group = known.has(m.workCenterId) ? groups.find((g) => g.key === m.workCenterId) : other;
      group?.machines.push(m);
    }
    const out: BoardRow[] = [];
    let top = 0;
    for (const g of [...groups, other]) {
      if (g.machines.length === 0) continue;
      out.push({ kind: 'group', key: `g-${g.key}`, label: g.label, top, height: GROUP_HEIGHT });
      top += GROUP_HEIGHT;
      for (const m of g.machines) {
        out.push({
          kind: 'machine',
          key: m.id,
          code: m.code,
          name: m.name,
          status: m.status,
          top,
          height: ROW_HEIGHT,
        });
        top += ROW_HEIGHT;
      }
    }
    return { rows: out, totalHeight: top };
  }, [machines, workCenters, t]);

  const bars = useMemo(
    () =>
      assignments.map((a): Bar => {
        const endMs = Date.parse(a.end);
        return {
          ...a,
          startMs: Date.parse(a.start),
          endMs,
          // due at the end of its day
          late: a.dueDate ? endMs > dueEndMs(a.dueDate) : false,
          pinned: a.locked === 'pinned' || pinned.has(a.operationId),
          hue: hueOf(a.workOrderId),
        };
      }),
    [assignments, pinned],
  );

  const { rows, totalHeight } = useMemo(
    () => (view === 'order' ? orderRows(bars, ROW_HEIGHT) : machineRows),
    [view, bars, machineRows],
  );

  /** Bars per row: by machine, or by work order. */
  const barsByRow = useMemo(() => {
    const map = new Map<string, Bar[]>();
    for (const bar of bars) {
      const key = view === 'order' ? bar.workOrderId : bar.machineId;
      const list = map.get(key);
      if (list) list.push(bar);
      else map.set(key, [bar]);
    }
    for (const list of map.values()) list.sort((a, b) => a.startMs - b.startMs);
    return map;
  }, [bars, view]);

  // Jump to the first operation once a plan is shown.
  const jumped = useRef<string | null>(null);
  useEffect(() => {
    if (!runId || assignments.length === 0 || jumped.current === runId) return;
    jumped.current = runId;
    const first = Math.min(...assignments.map((a) => Date.parse(a.start)));
    setScrollTo({ ms: first - 2 * 3_600_000, n: Date.now() });
  }, [runId, assignments]);

  // --- moves -------------------------------------------------------------------------------------
  const checkSeq = useRef(0);
  const checkTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastCheck = useRef(0);
  const pendingCheck = useRef<{ bar: Bar; machineId: string; startMs: number } | null>(null);

  const runCheck = useCallback(
    async (
      bar: Bar,
      machineId: string,
      startMs: number,
      checking: boolean,
    ): Promise<ScheduleMoveResult | null> => {
      if (!runId) return null;
      const seq = ++checkSeq.current;
      try {
        const result = await checkMove({
          runId,
          operationId: bar.operationId,
          machineId,
          start: new Date(startMs).toISOString(),
        });
        if (seq === checkSeq.current) {
          setFeedback({
            operationId: bar.operationId,
            machineId,
            startMs,
            endMs: Date.parse(result.end),
            checking,
            result,
          });
        }
        return result;
      } catch (e) {
        if (seq === checkSeq.current) message.error(problemText(tc, asApiError(e)));
        return null;
      }
    },
    [runId, message, tc],
  );

  /** While dragging: at most one check every 250 ms, the last position always checked. */
  const onDragMove = useCallback(
    (bar: Bar, machineId: string, startMs: number) => {
      setSelected(null);
      pendingCheck.current = { bar, machineId, startMs };
      const fire = () => {
        checkTimer.current = null;
        const p = pendingCheck.current;
        if (!p) return;
        pendingCheck.current = null;
        lastCheck.current = Date.now();
        void runCheck(p.bar, p.machineId, p.startMs, false);
      };
      if (checkTimer.current) return;
      const wait = Math.max(0, 250 - (Date.now() - lastCheck.current));
      checkTimer.current = setTimeout(fire, wait);
    },
    [runCheck],
  );

  const onDrop = useCallback(
    async (bar: Bar, machineId: string, startMs: number) => {
      if (checkTimer.current) clearTimeout(checkTimer.current);
      checkTimer.current = null;
      pendingCheck.current = null;
      setFeedback({
        operationId: bar.operationId,
        machineId,
        startMs,
        endMs: startMs,
        checking: true,
        result: null,
      });
      const result = await runCheck(bar, machineId, startMs, true);
      if (!result) {
        setFeedback(null);
        return;
      }
      if (blocking(result)) {
        const reasons = result.conflicts.map((c) => t(`conflictCodes.${c.code}`, { defaultValue: c.code }));
        setFeedback({
          operationId: bar.operationId,
          machineId: bar.machineId,
          startMs: bar.startMs,
          endMs: bar.endMs,
          checking: false,
          refused: true,
          result,
        });
        message.warning(t('snapBack', { reasons: reasons.join('; ') }));
        return;
      }
      try {
        const pin = await pinOperation({
          operationId: bar.operationId,
          machineId,
          start: new Date(startMs).toISOString(),
        });
        setAssignments((list) =>
          list.map((a) =>
            a.operationId === bar.operationId
              ? {
                  ...a,
                  machineId,
                  start: pin.start,
                  end: result.end,
                  setupMinutes: result.setupMinutes,
                  locked: 'pinned',
                }
              : a,
          ),
        );
        setPinned((s) => new Set(s).add(bar.operationId));
        setFeedback(
          result.conflicts.length
            ? {
                operationId: bar.operationId,
                machineId,
                startMs,
                endMs: Date.parse(result.end),
                checking: false,
                result,
              }
            : null,
        );
        message.success(
          t('pinned', { code: bar.workOrderCode, seq: bar.seq, time: format.dateTime(pin.start) }),
        );
      } catch (e) {
        setFeedback(null);
        message.error(problemText(tc, asApiError(e)));
      }
    },
    [runCheck, t, message, tc, format],
  );

  const pinHere = async (bar: Bar) => {
    try {
      await pinOperation({ operationId: bar.operationId, machineId: bar.machineId, start: bar.start });
      setPinned((s) => new Set(s).add(bar.operationId));
      message.success(
        t('pinned', { code: bar.workOrderCode, seq: bar.seq, time: format.dateTime(bar.start) }),
      );
    } catch (e) {
      message.error(problemText(tc, asApiError(e)));
    }
  };

  const unpin = async (bar: Bar) => {
    try {
      await unpinOperation(bar.operationId);
      setPinned((s) => {
        const next = new Set(s);
        next.delete(bar.operationId);
        return next;
      });
      setAssignments((list) =>
        list.map((a) =>
          a.operationId === bar.operationId && a.locked === 'pinned' ? { ...a, locked: null } : a,
        ),
      );
      message.success(t('unpinned', { code: bar.workOrderCode, seq: bar.seq }));
    } catch (e) {
      message.error(problemText(tc, asApiError(e)));
    }
  };

  // --- runs ---------------------------------------------------------------------------------------
  const selectRun = useCallback(
    (id: string | null) => {
      setParams(
        (p) => {
          const next = new URLSearchParams(p);
          if (id) next.set('run', id);
          else next.delete('run');
          return next;
        },
        { replace: true },
      );
      setSelected(null);
      setFeedback(null);
    },
    [setParams],
  );

  const finishing = useRef<string | null>(null);
  const onRunFinished = useCallback(
    async (id: string) => {
      if (finishing.current === id) return;
      finishing.current = id;
      try {
        const d = await getScheduleRun(id);
        setActiveRun(null);
        await reloadRuns();
        if (d.run.status === 'done') {
          message.success(t('finished'));
          selectRun(id);
          setCompare(d);
        } else {
          message.error(`${t('failed')}${d.run.error ? `: ${d.run.error}` : ''}`);
        }
      } catch (e) {
        finishing.current = null;
        message.error(problemText(tc, asApiError(e)));
      }
    },
    [reloadRuns, selectRun, message, t, tc],
  );

  useLiveEvents(
    ['schedule'],
    (event) => {
      const data = (event.data ?? {}) as { id?: string; progress?: number; status?: string };
      if (event.type === 'schedule.progress' && data.id && typeof data.progress === 'number') {
        const { id, progress } = data;
        setActiveRun((a) => (a && a.id === id ? { id, progress: Math.max(a.progress, progress) } : a));
        return;
      }
      if (event.type === 'schedule.completed' && data.id && activeRun?.id === data.id) {
        void onRunFinished(data.id);
        return;
      }
      if (event.type === 'schedule.pinned' || event.type === 'schedule.unpinned') void reloadPins();
      void reloadRuns();
    },
    { onResync: () => void reloadRuns() },
  );

  // Also poll while a run is under way, in case the live connection is down.
  useEffect(() => {
    if (!activeRun) return;
    const id = activeRun.id;
    const timer = setInterval(() => {
      getScheduleRun(id)
        .then((d) => {
          if (d.run.status === 'done' || d.run.status === 'failed') void onRunFinished(id);
          else
            setActiveRun((a) =>
              a && a.id === id ? { id, progress: Math.max(a.progress, d.run.progress) } : a,
            );
        })
        .catch(() => undefined);
    }, 1000);
    return () => clearInterval(timer);
  }, [activeRun?.id, onRunFinished, activeRun]);

  const reschedule = async () => {
    try {
      previousRun.current = runId;
      const run = await startScheduleRun({ timeLimitSeconds: budget });
      setActiveRun({ id: run.id, progress: run.progress });
      message.info(t('started'));
      void reloadRuns();
    } catch (e) {
      message.error(problemText(tc, asApiError(e)));
    }
  };

  const publish = async (id: string) => {
    setPublishing(true);
    try {
      const result = await publishScheduleRun(id);
      message.success(
        t('publishedOk', { updated: result.updatedOperations, dispatched: result.dispatched.length }),
      );
      if (result.dispatchErrors.length)
        message.warning(t('dispatchErrors', { count: result.dispatchErrors.length }));
      setCompare(null);
      selectRun(id);
      await reloadRuns();
      setReloadKey((k) => k + 1);
    } catch (e) {
      message.error(problemText(tc, asApiError(e)));
    } finally {
      setPublishing(false);
    }
  };

  const discard = () => {
    setCompare(null);
    selectRun(previousRun.current);
  };

  const conflictText = useCallback((code: string) => t(`conflictCodes.${code}`, { defaultValue: code }), [t]);
  /** Server messages name operations by id: show them as work order / step. */
  const opLabels = useMemo(
    () => new Map(assignments.map((a) => [a.operationId, `${a.workOrderCode} / ${a.seq}`])),
    [assignments],
  );
  const conflictDetail = useCallback(
    (text: string) => text.replace(/"([0-9a-f-]{20,})"/g, (m, id: string) => opLabels.get(id) ?? m),
    [opLabels],
  );
  const machineCodes = useMemo(() => new Map(machines.map((m) => [m.id, m.code])), [machines]);
  const machineCode = (id: string) => machineCodes.get(id) ?? id;
  const barLabel = useCallback(
    (bar: Bar) =>
      view === 'order'
        ? `${bar.seq} · ${machineCodes.get(bar.machineId) ?? ''}`
        : `${bar.workOrderCode} / ${bar.seq}`,
    [view, machineCodes],
  );
  const orderLabel = useCallback(
    (row: Extract<BoardRow, { kind: 'order' }>) => (
      <>
        <b>{row.code}</b>
        <span className="takt-gantt-machine-name">
          {row.dueDate ? t('due', { date: row.dueDate }) : t('noDue')}
        </span>
        {row.late ? <span className="takt-gantt-late-tag">{t('orderLate')}</span> : null}
      </>
    ),
    [t],
  );

  const renderDetailNow = (bar: Bar) => (
    <div data-testid="bar-detail">
      <Typography.Text strong>
        {bar.workOrderCode} / {bar.seq} · {bar.name}
      </Typography.Text>
      <div>
        {t('machine')}: {machineCode(bar.machineId)}
      </div>
      <div>
        {format.dateTime(bar.start)} → {format.dateTime(bar.end)}
      </div>
      {bar.setupMinutes ? <div>{t('setup', { min: bar.setupMinutes })}</div> : null}
      <Space size={4} wrap style={{ marginTop: 4 }}>
        {bar.locked === 'frozen' ? <Tag>{t('locked.frozen')}</Tag> : null}
        {bar.pinned ? <Tag color="blue">{t('locked.pinned')}</Tag> : null}
        {bar.late ? <Tag color="red">{t('late')}</Tag> : null}
      </Space>
      <Flex gap={6} style={{ marginTop: 8 }}>
        {bar.pinned ? (
          <Button size="small" disabled={!canMove} onClick={() => void unpin(bar)}>
            {t('unpin')}
          </Button>
        ) : (
          <Button
            size="small"
            icon={<PushpinOutlined />}
            disabled={!canMove || bar.locked === 'frozen'}
            onClick={() => void pinHere(bar)}
          >
            {t('pin')}
          </Button>
        )}
        <Button size="small" type="text" onClick={() => setSelected(null)}>
          {t('close')}
        </Button>
      </Flex>
    </div>
  );

  // Stable props, so that the memoised chart does not re-render with the rest of the page.
  const detailRef = useRef(renderDetailNow);
  detailRef.current = renderDetailNow;
  const renderDetail = useCallback((bar: Bar) => detailRef.current(bar), []);
  const drop = useCallback(
    (bar: Bar, machineId: string, startMs: number) => void onDrop(bar, machineId, startMs),
    [onDrop],
  );
  const select = useCallback((bar: Bar | null) => {
    setSelected(bar?.operationId ?? null);
    if (bar) setFeedback(null);
  }, []);
  const chartHeight = Math.max(360, typeof window === 'undefined' ? 600 : window.innerHeight - 270);

  const kpis = detail?.run.kpis ?? null;
  const published = !!selectedRun?.publishedAt;
  const runColumns: TableColumnsType<ScheduleRun> = [
    {
      key: 'created',
      title: t('columns.created'),
      render: (_, r) => <span className="takt-nowrap">{format.dateTime(r.startedAt ?? r.createdAt)}</span>,
    },
    {
      key: 'status',
      title: t('columns.status'),
      render: (_, r) => <Tag color={RUN_COLORS[r.status]}>{t(`status.${r.status}`)}</Tag>,
    },
    {
      key: 'onTime',
      title: t('columns.onTime'),
      render: (_, r) => (r.kpis ? `${r.kpis.onTimePercent}%` : '—'),
    },
    { key: 'ops', title: t('columns.ops'), render: (_, r) => r.kpis?.scheduledOperations ?? '—' },
    {
      key: 'published',
      title: t('columns.published'),
      render: (_, r) => (r.publishedAt ? <Tag color="blue">{t('published')}</Tag> : null),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
        extra={
          <Space wrap>
            <Segmented
              value={view}
              data-testid="board-view"
              options={VIEWS.map((v) => ({ value: v, label: t(`view.${v}`) }))}
              onChange={(v) => {
                setSelected(null);
                setFeedback(null);
                setParam('view', String(v));
              }}
            />
            <Segmented
              value={zoom}
              options={ZOOMS.map((z) => ({ value: z, label: t(`zoom.${z}`) }))}
              onChange={(z) => setParam('zoom', String(z))}
            />
            <Button
              icon={<FieldTimeOutlined />}
              onClick={() => setScrollTo({ ms: Date.now() - 2 * 3_600_000, n: Date.now() })}
            >
              {t('today')}
            </Button>
            <Button icon={<HistoryOutlined />} onClick={() => setDrawer(true)}>
              {t('runs')}
            </Button>
            <Button
              icon={<ReloadOutlined />}
              onClick={() => {
                void reloadRuns();
                void reloadPins();
                setReloadKey((k) => k + 1);
              }}
            >
              {t('reload')}
            </Button>
          </Space>
        }
      />
      <Flex gap={12} align="center" wrap style={{ marginBottom: 12 }}>
        <Segmented
          value={budget}
          options={BUDGETS.map((s) => ({ value: s, label: t('budget', { s }) }))}
          onChange={(v) => setBudget(Number(v))}
          disabled={!!activeRun}
        />
        <Button
          type="primary"
          icon={<ThunderboltOutlined />}
          loading={!!activeRun}
          disabled={!canRun}
          onClick={() => void reschedule()}
        >
          {t('reschedule')}
        </Button>
        <Button
          icon={<SendOutlined />}
          disabled={!canRun || !runId || published}
          loading={publishing && !compare}
          onClick={() => runId && void publish(runId)}
        >
          {t('publish')}
        </Button>
        {activeRun ? (
          <Flex align="center" gap={8} style={{ minWidth: 240 }} data-testid="run-progress">
            <Typography.Text>{t('running', { progress: activeRun.progress })}</Typography.Text>
            <Progress
              percent={activeRun.progress}
              size="small"
              style={{ width: 120, margin: 0 }}
              status="active"
            />
          </Flex>
        ) : null}
        {selectedRun ? (
          <Space size={6} wrap>
            <Typography.Text type="secondary">
              {t('run', { time: format.dateTime(selectedRun.finishedAt ?? selectedRun.createdAt) })}
            </Typography.Text>
            {published ? <Tag color="blue">{t('published')}</Tag> : <Tag>{t('notPublished')}</Tag>}
            {kpis ? (
              <Typography.Text type="secondary">
                {t('summary', {
                  ops: kpis.scheduledOperations,
                  onTime: kpis.onTimePercent,
                  makespan: minutesText(kpis.makespanMinutes),
                })}
              </Typography.Text>
            ) : null}
          </Space>
        ) : null}
      </Flex>
      {runsLoaded && !selectedRun && !activeRun ? (
        <Empty description={t('noRun')} style={{ padding: 48 }} />
      ) : (
        <Spin spinning={loading}>
          <GanttChart
            view={view}
            rows={rows}
            totalHeight={totalHeight}
            from={range.from}
            to={range.to}
            zoom={zoom}
            lang={i18n.resolvedLanguage ?? 'en'}
            barsByRow={barsByRow}
            offShift={availability}
            feedback={feedback}
            selected={selected}
            canMove={canMove && !!runId}
            barLabel={barLabel}
            orderLabel={orderLabel}
            conflictText={conflictText}
            conflictDetail={conflictDetail}
            renderDetail={renderDetail}
            height={chartHeight}
            onVisibleMachines={onVisibleMachines}
            onDragMove={onDragMove}
            onDrop={drop}
            onSelect={select}
            scrollTo={scrollTo}
          />
        </Spin>
      )}
      {detail && detail.run.conflicts.length > 0 ? (
        <Alert
          style={{ marginTop: 12 }}
          type="warning"
          showIcon
          title={`${t('conflictsTitle')}: ${detail.run.conflicts.length}`}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {detail.run.conflicts.slice(0, 8).map((c) => (
                <li key={`${c.code}-${c.operationId}`}>
                  {conflictText(c.code)} — {conflictDetail(c.message)}
                </li>
              ))}
            </ul>
          }
        />
      ) : null}
      <Drawer title={t('runs')} open={drawer} onClose={() => setDrawer(false)} size={560}>
        <Table<ScheduleRun>
          rowKey="id"
          size="small"
          columns={runColumns}
          dataSource={runs}
          pagination={false}
          rowClassName={(r) => (r.id === selectedRun?.id ? 'ant-table-row-selected' : '')}
          onRow={(r) => ({
            onClick: () => {
              if (r.status !== 'done') return;
              selectRun(r.id);
              setDrawer(false);
            },
            style: { cursor: r.status === 'done' ? 'pointer' : 'default' },
          })}
        />
      </Drawer>
      <Modal
        open={!!compare}
        title={t('compareTitle')}
        onCancel={discard}
        width={620}
        footer={[
          <Button key="discard" onClick={discard}>
            {t('discard')}
          </Button>,
          <Button
            key="publish"
            type="primary"
            icon={<SendOutlined />}
            loading={publishing}
            disabled={!canRun}
            onClick={() => compare && void publish(compare.run.id)}
          >
            {t('publish')}
          </Button>,
        ]}
      >
        {compare ? <Comparison detail={compare} /> : null}
      </Modal>
    </>
  );
}

type KpiRow = {
  key: string;
  label: string;
  before: number | null;
  after: number | null;
  text: (v: number) => string;
  lowerIsBetter: boolean;
};

/** The before/after table of a run against the published plan. */
function Comparison({ detail }: { detail: ScheduleRunDetail }) {
  const { t } = useTranslation('scheduling');
  const { before, after, changedOperations, newOperations } = detail.comparison;
  const after_ = after ?? detail.run.kpis;
  const pick = (k: ScheduleKpis | null, f: (k: ScheduleKpis) => number) => (k ? f(k) : null);
  const rows: KpiRow[] = [
    {
      key: 'onTime',
      label: t('kpis.onTime'),
      before: pick(before, (k) => k.onTimePercent),
      after: pick(after_, (k) => k.onTimePercent),
      text: (v) => `${v}%`,
      lowerIsBetter: false,
    },
    {
      key: 'tardiness',
      label: t('kpis.tardiness'),
      before: pick(before, (k) => k.weightedTardiness),
      after: pick(after_, (k) => k.weightedTardiness),
      text: (v) => String(Math.round(v)),
      lowerIsBetter: true,
    },
    {
      key: 'makespan',
      label: t('kpis.makespan'),
      before: pick(before, (k) => k.makespanMinutes),
      after: pick(after_, (k) => k.makespanMinutes),
      text: minutesText,
      lowerIsBetter: true,
    },
    {
      key: 'setups',
      label: t('kpis.setups'),
      before: pick(before, (k) => k.setups),
      after: pick(after_, (k) => k.setups),
      text: String,
      lowerIsBetter: true,
    },
    {
      key: 'unscheduled',
      label: t('kpis.unscheduled'),
      before: pick(before, (k) => k.unscheduledOperations),
      after: pick(after_, (k) => k.unscheduledOperations),
      text: String,
      lowerIsBetter: true,
    },
    {
      key: 'moved',
      label: t('kpis.moved'),
      before: null,
      after: changedOperations,
      text: String,
      lowerIsBetter: true,
    },
    {
      key: 'newOps',
      label: t('kpis.newOps'),
      before: null,
      after: newOperations,
      text: String,
      lowerIsBetter: true,
    },
  ];
  const columns: TableColumnsType<KpiRow> = [
    { key: 'label', title: t('kpi'), dataIndex: 'label' },
    {
      key: 'before',
      title: t('before'),
      align: 'right',
      render: (_, r) => (r.before === null ? '—' : r.text(r.before)),
    },
    {
      key: 'after',
      title: t('after'),
      align: 'right',
      render: (_, r) => {
        if (r.after === null) return '—';
        let cls = '';
        if (r.before !== null && r.text(r.after) !== r.text(r.before)) {
          const better = r.lowerIsBetter ? r.after < r.before : r.after > r.before;
          cls = better ? 'takt-board-kpi-better' : 'takt-board-kpi-worse';
        }
        return (
          <span className={cls} data-kpi={r.key}>
            {r.text(r.after)}
          </span>
        );
      },
    },
  ];
  return (
    <>
      {!before ? <Alert type="info" showIcon title={t('compareNone')} style={{ marginBottom: 12 }} /> : null}
      <Table<KpiRow>
        rowKey="key"
        size="small"
        columns={columns}
        dataSource={rows}
        pagination={false}
        data-testid="kpi-compare"
      />
    </>
  );
}
