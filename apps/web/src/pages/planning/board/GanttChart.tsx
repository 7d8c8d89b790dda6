import { PushpinFilled, WarningFilled } from '@ant-design/icons';
import type { ScheduleMoveResult } from '@takt/contracts';
import {
  memo,
  startTransition,
  type PointerEvent as ReactPointerEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import {
  type Band,
  type Bar,
  type BoardRow,
  type BoardView,
  firstRowAt,
  HEADER_HEIGHT,
  LABEL_WIDTH,
  msAt,
  PX_PER_HOUR,
  snap,
  ticks,
  xOf,
  type Zoom,
} from './timeline.ts';

/** What the planner sees about a move: where the bar would go and what is wrong there. */
export interface MoveFeedback {
  operationId: string;
  machineId: string;
  startMs: number;
  endMs: number;
  checking: boolean;
  result: ScheduleMoveResult | null;
  /** Shown after a drop that was refused (the bar went back). */
  refused?: boolean;
}

interface Props {
  view: BoardView;
  rows: BoardRow[];
  totalHeight: number;
  from: number;
  to: number;
  zoom: Zoom;
  lang: string;
  height: number;
  /** Bars per row key (machine id or work order id), sorted by start. */
  barsByRow: Map<string, Bar[]>;
  offShift: Map<string, Band[]>;
  feedback: MoveFeedback | null;
  selected: string | null;
  canMove: boolean;
  barLabel: (bar: Bar) => string;
  orderLabel: (row: Extract<BoardRow, { kind: 'order' }>) => ReactNode;
  conflictText: (code: string) => string;
  conflictDetail: (message: string) => string;
  renderDetail: (bar: Bar) => ReactNode;
  onVisibleMachines: (ids: string[]) => void;
  onDragMove: (bar: Bar, machineId: string, startMs: number) => void;
  onDrop: (bar: Bar, machineId: string, startMs: number) => void;
  onSelect: (bar: Bar | null) => void;
  /** Scroll so that this instant is at the left edge (changes when the value changes). */
  scrollTo: { ms: number; n: number } | null;
}

interface DragState {
  bar: Bar;
  pointerId: number;
  x0: number;
  y0: number;
  moved: boolean;
  machineId: string;
  startMs: number;
}

/** Rendered margin around the viewport; the window moves in steps of this, not every scrolled pixel. */
const WINDOW_STEP_PX = 320;
/** Rows come into the DOM a few at a time (few commits), with this margin above and below. */
const ROW_STEP_PX = 120;
const ROW_OVERSCAN_PX = 120;

/** The rendered part of the chart (pixels): rows [rowFrom, rowTo] and times [left, right]. */
interface RenderWindow {
  rowFrom: number;
  rowTo: number;
  left: number;
  right: number;
}

/** The viewport rounded out to whole steps plus a margin, so most scrolls change nothing. */
function renderWindow(left: number, top: number, width: number, height: number): RenderWindow {
  return {
    rowFrom: Math.max(0, Math.floor((top - HEADER_HEIGHT) / ROW_STEP_PX) * ROW_STEP_PX - ROW_OVERSCAN_PX),
    rowTo: Math.ceil((top + height) / ROW_STEP_PX) * ROW_STEP_PX + ROW_OVERSCAN_PX,
    left: Math.max(0, Math.floor(left / WINDOW_STEP_PX) * WINDOW_STEP_PX - WINDOW_STEP_PX),
    right: Math.ceil((left + width) / WINDOW_STEP_PX) * WINDOW_STEP_PX + WINDOW_STEP_PX,
  };
}
const BAR_TOP = 6;

const EMPTY: Bar[] = [];

interface RowProps {
  row: BoardRow;
  view: BoardView;
  bars: Bar[];
  bands: Band[] | undefined;
  from: number;
  zoom: Zoom;
  t0: number;
  t1: number;
  /** The operation being dragged, when it is in this row (it is drawn as an outline). */
  draggingOp: string | null;
  selectedOp: string | null;
  isTarget: boolean;
  barLabel: (bar: Bar) => string;
  onBarDown: (bar: Bar, e: ReactPointerEvent<HTMLDivElement>) => void;
}

/**
 * The element of a bar: its classes, position and label. Shared by rows and the dragged ghost; a plain
 * function, not a component, so thousands of bars cost one element each.
 */
function barElement(props: {
  bar: Bar;
  from: number;
  zoom: Zoom;
  startMs: number;
  label: string;
  classes: string[];
  machineId: string;
  ghost: boolean;
  warn?: boolean;
  top?: number;
}) {
  const { bar, from, zoom, startMs, label } = props;
  const left = xOf(startMs, from, zoom);
  const w = Math.max(3, xOf(startMs + (bar.endMs - bar.startMs), from, zoom) - left);
  const classes = ['takt-gantt-bar', ...props.classes];
  if (bar.late) classes.push('is-late');
  if (bar.pinned) classes.push('is-pinned');
  return (
    <div
      key={props.ghost ? `ghost-${bar.operationId}` : bar.operationId}
      className={classes.join(' ')}
      data-op={bar.operationId}
      data-wo={bar.workOrderCode}
      data-seq={bar.seq}
      data-machine={props.machineId}
      data-pinned={bar.pinned ? 'true' : 'false'}
      data-late={bar.late ? 'true' : 'false'}
      data-ghost={props.ghost ? 'true' : undefined}
      title={`${bar.workOrderCode} / ${bar.seq} · ${bar.name}`}
      style={{
        left,
        width: w,
        ...(props.top !== undefined ? { top: props.top } : {}),
        background: `hsl(${bar.hue} 70% 86%)`,
        borderLeftColor: `hsl(${bar.hue} 60% 38%)`,
      }}
    >
      {bar.pinned ? <PushpinFilled className="takt-gantt-pin" aria-label="pinned" /> : null}
      {props.warn ? <WarningFilled className="takt-gantt-warn" /> : null}
      {w > 36 ? <span className="takt-gantt-label">{label}</span> : null}
    </div>
  );
}

/**
 * One row of the chart. Memoised: scrolling within the rendered window, dragging a bar elsewhere or
 * a conflict check coming back does not re-render it.
 */
const GanttRow = memo(function GanttRow(props: RowProps) {
  const { row, view, bars, bands, from, zoom, t0, t1, draggingOp, selectedOp } = props;
  if (row.kind === 'group') {
    return <div className="takt-gantt-group-band" style={{ top: row.top, height: row.height }} />;
  }
  const shown = bars.filter((b) => b.endMs >= t0 && b.startMs <= t1);
  const classes = ['takt-gantt-row'];
  if (props.isTarget) classes.push('is-target');
  if (row.kind === 'order' && row.late) classes.push('is-late');
  // Precedence in an order row: a link from each step's end to the next step's start.
  const links: ReactNode[] = [];
  if (view === 'order' && shown.length > 1) {
    const bySeq = [...bars].sort((a, b) => a.seq - b.seq || a.startMs - b.startMs);
    for (let i = 1; i < bySeq.length; i++) {
      const a = bySeq[i - 1] as Bar;
      const b = bySeq[i] as Bar;
      if (Math.max(a.endMs, b.startMs) < t0 || Math.min(a.endMs, b.startMs) > t1) continue;
      const xa = xOf(a.endMs, from, zoom);
      const xb = xOf(b.startMs, from, zoom);
      const broken = b.startMs < a.endMs;
      links.push(
        <div
          key={`l-${a.operationId}-${b.operationId}`}
          className={`takt-gantt-link${broken ? ' is-broken' : ''}`}
          data-link={`${a.seq}-${b.seq}`}
          style={{ left: Math.min(xa, xb), width: Math.max(2, Math.abs(xb - xa)) }}
        />,
      );
    }
  }
  return (
    <div
      className={classes.join(' ')}
      data-row={row.code}
      data-order-row={row.kind === 'order' ? row.code : undefined}
      style={{ top: row.top, height: row.height }}
      onPointerDown={(e) => {
        // One listener per row: the bar is found from the element under the pointer.
        const id = (e.target as HTMLElement).closest<HTMLElement>('.takt-gantt-bar')?.dataset.op;
        const bar = id ? bars.find((b) => b.operationId === id) : undefined;
        if (bar) props.onBarDown(bar, e);
      }}
    >
      {(bands ?? [])
        .filter((b) => b.end >= t0 && b.start <= t1)
        .map((b) => {
          const l = xOf(Math.max(b.start, t0), from, zoom);
          const r = xOf(Math.min(b.end, t1), from, zoom);
          return <div key={b.start} className="takt-gantt-off" style={{ left: l, width: r - l }} />;
        })}
      {links}
      {row.kind === 'order' && row.dueMs !== null && row.dueMs >= t0 && row.dueMs <= t1 ? (
        <div
          className={`takt-gantt-due${row.late ? ' is-late' : ''}`}
          data-due={row.dueDate ?? ''}
          style={{ left: xOf(row.dueMs, from, zoom) }}
        />
      ) : null}
      {shown.map((bar) =>
        draggingOp === bar.operationId ? (
          <div
            key={bar.operationId}
            className="takt-gantt-bar is-origin"
            style={{
              left: xOf(bar.startMs, from, zoom),
              width: xOf(bar.endMs, from, zoom) - xOf(bar.startMs, from, zoom),
            }}
          />
        ) : (
          barElement({
            bar,
            from,
            zoom,
            startMs: bar.startMs,
            label: props.barLabel(bar),
            classes: selectedOp === bar.operationId ? ['is-selected'] : [],
            machineId: bar.machineId,
            ghost: false,
          })
        ),
      )}
    </div>
  );
});

const LabelRow = memo(function LabelRow(props: {
  row: BoardRow;
  isTarget: boolean;
  orderLabel: Props['orderLabel'];
}) {
  const { row } = props;
  if (row.kind === 'group') {
    return (
      <div className="takt-gantt-group" style={{ top: row.top, height: row.height }}>
        {row.label}
      </div>
    );
  }
  if (row.kind === 'order') {
    return (
      <div
        className={`takt-gantt-machine takt-gantt-order${row.late ? ' is-late' : ''}${props.isTarget ? ' is-target' : ''}`}
        data-order-label={row.code}
        style={{ top: row.top, height: row.height }}
      >
        {props.orderLabel(row)}
      </div>
    );
  }
  return (
    <div
      className={`takt-gantt-machine${props.isTarget ? ' is-target' : ''}`}
      data-machine-row={row.code}
      style={{ top: row.top, height: row.height }}
    >
      <span className={`takt-gantt-dot is-${row.status}`} />
      <b>{row.code}</b>
      <span className="takt-gantt-machine-name">{row.name}</span>
    </div>
  );
});

/**
 * The Gantt chart: machine rows (grouped by work center) or work order rows over time. Only the rows
 * and bars inside the visible window (plus a margin) are in the DOM, rows are memoised, and a drag
 * re-renders only the dragged bar, so thousands of operations stay smooth.
 */
export const GanttChart = memo(function GanttChart(props: Props) {
  const { view, rows, totalHeight, from, to, zoom, lang, height, barsByRow, offShift, feedback, selected } =
    props;
  const { canMove } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const labelsRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const [win, setWin] = useState<RenderWindow>(() => renderWindow(0, 0, 1200, height));
  const winRef = useRef(win);
  const zoomRef = useRef(zoom);
  zoomRef.current = zoom;
  const fromRef = useRef(from);
  fromRef.current = from;
  // The instant at the left edge, kept when the zoom changes.
  const anchor = useRef<{ zoom: Zoom; ms: number }>({ zoom, ms: from });
  const frame = useRef<number | null>(null);
  const [drag, setDrag] = useState<DragState | null>(null);
  const dragRef = useRef<DragState | null>(null);
  const width = Math.max(1, xOf(to, from, zoom));

  const measure = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    if (labelsRef.current) labelsRef.current.style.transform = `translateY(${-el.scrollTop}px)`;
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      if (anchor.current.zoom === zoomRef.current)
        anchor.current = { zoom: zoomRef.current, ms: msAt(el.scrollLeft, fromRef.current, zoomRef.current) };
      const next = renderWindow(el.scrollLeft, el.scrollTop, el.clientWidth, el.clientHeight);
      const w = winRef.current;
      if (
        w.rowFrom === next.rowFrom &&
        w.rowTo === next.rowTo &&
        w.left === next.left &&
        w.right === next.right
      )
        return;
      winRef.current = next;
      // Only when the rendered band changes, and as a transition: React renders the rows coming
      // into view in slices and never blocks a frame.
      startTransition(() => setWin(next));
    });
  }, []);

  useLayoutEffect(() => {
    measure();
    const el = scrollRef.current;
    if (!el) return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [measure]);
  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  // Keep the instant at the left edge when the zoom changes.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    if (anchor.current.zoom !== zoom) {
      el.scrollLeft = Math.max(0, xOf(anchor.current.ms, from, zoom));
      anchor.current.zoom = zoom;
      measure();
    }
  }, [zoom, from, measure]);

  const scrollTo = props.scrollTo;
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll only when asked to
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || !scrollTo) return;
    el.scrollLeft = Math.max(0, xOf(scrollTo.ms, from, zoom) - 40);
    measure();
  }, [scrollTo]);

  const { rowFrom, rowTo } = win;
  const visibleRows = useMemo(() => {
    const out: BoardRow[] = [];
    for (let i = firstRowAt(rows, rowFrom); i < rows.length; i++) {
      const row = rows[i] as BoardRow;
      if (row.top > rowTo) break;
      out.push(row);
    }
    return out;
  }, [rows, rowFrom, rowTo]);

  const t0 = msAt(win.left, from, zoom);
  const t1 = msAt(win.right, from, zoom);

  const visibleMachineKey = visibleRows
    .filter((r) => r.kind === 'machine')
    .map((r) => r.key)
    .join(',');
  const { onVisibleMachines } = props;
  useEffect(() => {
    if (visibleMachineKey) onVisibleMachines(visibleMachineKey.split(','));
  }, [visibleMachineKey, onVisibleMachines]);

  const header = useMemo(() => ticks(zoom, t0, t1, lang), [zoom, t0, t1, lang]);

  const rowByKey = useMemo(() => new Map(rows.map((r) => [r.key, r])), [rows]);
  const barById = useMemo(() => {
    const map = new Map<string, Bar>();
    for (const list of barsByRow.values()) for (const b of list) map.set(b.operationId, b);
    return map;
  }, [barsByRow]);
  /** The row a bar is drawn in when it is on `machineId`. */
  const rowKeyOf = (bar: Bar, machineId: string) => (view === 'order' ? bar.workOrderId : machineId);

  const rowAtY = (clientY: number): BoardRow | undefined => {
    const body = bodyRef.current;
    if (!body) return undefined;
    const y = clientY - body.getBoundingClientRect().top;
    const row = rows[firstRowAt(rows, y)];
    return row && row.top <= y ? row : undefined;
  };

  const onPointerMove = (e: PointerEvent) => {
    const d = dragRef.current;
    if (!d || d.pointerId !== e.pointerId || !canMove || d.bar.locked === 'frozen') return;
    const dx = e.clientX - d.x0;
    const dy = e.clientY - d.y0;
    if (!d.moved && Math.abs(dx) + Math.abs(dy) < 5) return;
    // By order, a move changes the time only: the operation stays on its machine.
    const row = view === 'machine' ? rowAtY(e.clientY) : undefined;
    const machineId = row?.kind === 'machine' ? row.key : d.machineId;
    const startMs = snap(d.bar.startMs + (dx / PX_PER_HOUR[zoom]) * 3_600_000, zoom);
    const changed = !d.moved || machineId !== d.machineId || startMs !== d.startMs;
    const next = { ...d, moved: true, machineId, startMs };
    dragRef.current = next;
    if (changed) {
      setDrag(next);
      props.onDragMove(d.bar, machineId, startMs);
    }
  };

  const onPointerUp = (e: PointerEvent) => {
    const d = dragRef.current;
    if (!d || d.pointerId !== e.pointerId) return;
    dragRef.current = null;
    setDrag(null);
    if (d.moved) {
      if (d.machineId !== d.bar.machineId || d.startMs !== d.bar.startMs)
        props.onDrop(d.bar, d.machineId, d.startMs);
    } else {
      props.onSelect(d.bar);
    }
  };

  const onPointerCancel = () => {
    dragRef.current = null;
    setDrag(null);
  };
  const handlers = useRef({ move: onPointerMove, up: onPointerUp, cancel: onPointerCancel });
  useLayoutEffect(() => {
    handlers.current = { move: onPointerMove, up: onPointerUp, cancel: onPointerCancel };
  });
  const canMoveRef = useRef(canMove);
  canMoveRef.current = canMove;

  // Stable, so the memoised rows keep their props while the chart re-renders.
  const onBarDown = useCallback((bar: Bar, e: ReactPointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.stopPropagation();
    if (canMoveRef.current && bar.locked !== 'frozen') e.currentTarget.setPointerCapture(e.pointerId);
    dragRef.current = {
      bar,
      pointerId: e.pointerId,
      x0: e.clientX,
      y0: e.clientY,
      moved: false,
      machineId: bar.machineId,
      startMs: bar.startMs,
    };
    // Followed on the window: only the dragged bar is re-rendered while it moves.
    const move = (ev: PointerEvent) => handlers.current.move(ev);
    const stop = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      window.removeEventListener('pointercancel', cancel);
    };
    const up = (ev: PointerEvent) => {
      stop();
      handlers.current.up(ev);
    };
    const cancel = () => {
      stop();
      handlers.current.cancel();
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    window.addEventListener('pointercancel', cancel);
  }, []);

  const rowTopOf = (key: string) => rowByKey.get(key)?.top;

  // The bar under the pointer, or the dropped bar while its check is under way.
  const ghost = (() => {
    if (drag?.moved) return { bar: drag.bar, machineId: drag.machineId, startMs: drag.startMs };
    if (!drag && feedback?.checking) {
      const bar = barById.get(feedback.operationId);
      if (bar) return { bar, machineId: feedback.machineId, startMs: feedback.startMs };
    }
    return null;
  })();
  const ghostTop = ghost ? rowTopOf(rowKeyOf(ghost.bar, ghost.machineId)) : undefined;
  const ghostConflicts =
    ghost && feedback && feedback.operationId === ghost.bar.operationId
      ? (feedback.result?.conflicts ?? [])
      : [];
  const targetKey = drag?.moved ? rowKeyOf(drag.bar, drag.machineId) : null;
  const draggingOp = drag?.moved ? drag.bar.operationId : null;
  const draggingRow = drag?.moved ? rowKeyOf(drag.bar, drag.bar.machineId) : null;

  const feedbackBox = () => {
    if (!feedback) return null;
    const bar = barById.get(feedback.operationId);
    const top = bar ? rowTopOf(rowKeyOf(bar, feedback.machineId)) : undefined;
    if (top === undefined) return null;
    const conflicts = feedback.result?.conflicts ?? [];
    if (!feedback.checking && conflicts.length === 0 && !feedback.refused) return null;
    const left = Math.max(0, xOf(feedback.startMs, from, zoom));
    return (
      <div
        className={`takt-gantt-feedback${conflicts.length ? ' is-warning' : ''}`}
        role="alert"
        data-codes={conflicts.map((c) => c.code).join(' ')}
        style={{ left, top: top + 38 }}
      >
        {conflicts.length === 0 ? (
          <span>{feedback.checking ? '…' : ''}</span>
        ) : (
          <ul>
            {conflicts.map((c) => (
              <li key={`${c.code}-${c.message}`} data-code={c.code}>
                <WarningFilled /> <b>{props.conflictText(c.code)}</b>
                <div className="takt-gantt-feedback-detail">{props.conflictDetail(c.message)}</div>
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  };

  const selectedBar = selected ? (barById.get(selected) ?? null) : null;

  const stepPx =
    zoom === 'hour' ? PX_PER_HOUR.hour : zoom === 'day' ? PX_PER_HOUR.day * 6 : PX_PER_HOUR.week * 24;
  const grid = `repeating-linear-gradient(to right, var(--takt-gantt-grid) 0 1px, transparent 1px ${stepPx}px)`;

  return (
    <div className="takt-gantt" style={{ height }} data-view={view}>
      <div className="takt-gantt-labels" style={{ width: LABEL_WIDTH }}>
        <div className="takt-gantt-corner" style={{ height: HEADER_HEIGHT }} />
        <div className="takt-gantt-labels-clip">
          <div ref={labelsRef} className="takt-gantt-labels-inner" style={{ height: totalHeight }}>
            {visibleRows.map((row) => (
              <LabelRow
                key={row.key}
                row={row}
                isTarget={targetKey === row.key}
                orderLabel={props.orderLabel}
              />
            ))}
          </div>
        </div>
      </div>
      <div
        ref={scrollRef}
        className="takt-gantt-scroll"
        onScroll={measure}
        onPointerDown={() => props.onSelect(null)}
        data-testid="gantt-scroll"
        data-from={from}
        data-px-per-hour={PX_PER_HOUR[zoom]}
      >
        <div style={{ width, height: HEADER_HEIGHT + totalHeight, position: 'relative' }}>
          <div className="takt-gantt-header" style={{ height: HEADER_HEIGHT, width }}>
            {header.major.map((tk) => (
              <div key={`M${tk.ms}`} className="takt-gantt-major" style={{ left: xOf(tk.ms, from, zoom) }}>
                {tk.label}
              </div>
            ))}
            {header.minor.map((tk) => (
              <div key={`m${tk.ms}`} className="takt-gantt-minor" style={{ left: xOf(tk.ms, from, zoom) }}>
                {tk.label}
              </div>
            ))}
          </div>
          <div
            ref={bodyRef}
            className="takt-gantt-body"
            style={{ top: HEADER_HEIGHT, width, height: totalHeight, backgroundImage: grid }}
          >
            {visibleRows.map((row) => (
              <GanttRow
                key={row.key}
                row={row}
                view={view}
                bars={barsByRow.get(row.key) ?? EMPTY}
                bands={view === 'machine' ? offShift.get(row.key) : undefined}
                from={from}
                zoom={zoom}
                t0={t0}
                t1={t1}
                draggingOp={draggingRow === row.key ? draggingOp : null}
                selectedOp={
                  selectedBar && rowKeyOf(selectedBar, selectedBar.machineId) === row.key ? selected : null
                }
                isTarget={targetKey === row.key}
                barLabel={props.barLabel}
                onBarDown={onBarDown}
              />
            ))}
            {ghost && ghostTop !== undefined
              ? barElement({
                  bar: ghost.bar,
                  from,
                  zoom,
                  startMs: ghost.startMs,
                  label: props.barLabel(ghost.bar),
                  classes: ['is-dragging', ...(ghostConflicts.length > 0 ? ['has-conflicts'] : [])],
                  machineId: ghost.machineId,
                  ghost: true,
                  warn: ghostConflicts.length > 0,
                  top: ghostTop + BAR_TOP,
                })
              : null}
            {feedbackBox()}
            {selectedBar && !drag ? (
              <div
                className="takt-gantt-detail"
                style={{
                  left: Math.max(0, xOf(selectedBar.startMs, from, zoom)),
                  top: (rowTopOf(rowKeyOf(selectedBar, selectedBar.machineId)) ?? 0) + 38,
                }}
                onPointerDown={(e) => e.stopPropagation()}
              >
                {props.renderDetail(selectedBar)}
              </div>
            ) : null}
          </div>
        </div>
      </div>
    </div>
  );
});
