import { PushpinFilled, WarningFilled } from '@ant-design/icons';
import type { ScheduleMoveResult } from '@takt/contracts';
import {
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
  rows: BoardRow[];
  totalHeight: number;
  from: number;
  to: number;
  zoom: Zoom;
  lang: string;
  height: number;
  barsByMachine: Map<string, Bar[]>;
  offShift: Map<string, Band[]>;
  feedback: MoveFeedback | null;
  selected: string | null;
  canMove: boolean;
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

const OVERSCAN_PX = 400;
const OVERSCAN_ROWS_PX = 240;

/**
 * The Gantt chart: machine rows (grouped by work center) over time. Only the rows and bars inside the
 * visible window (plus a margin) are in the DOM, so thousands of operations stay smooth.
 */
export function GanttChart(props: Props) {
  const {
    rows,
    totalHeight,
    from,
    to,
    zoom,
    lang,
    height,
    barsByMachine,
    offShift,
    feedback,
    selected,
    canMove,
  } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const labelsRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ left: 0, top: 0, width: 1200, height });
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
      setView({ left: el.scrollLeft, top: el.scrollTop, width: el.clientWidth, height: el.clientHeight });
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
  const anchor = useRef<{ zoom: Zoom; ms: number }>({ zoom, ms: from });
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    if (anchor.current.zoom !== zoom) {
      el.scrollLeft = Math.max(0, xOf(anchor.current.ms, from, zoom));
      anchor.current.zoom = zoom;
      measure();
    }
  }, [zoom, from, measure]);
  useEffect(() => {
    anchor.current = { zoom, ms: msAt(view.left, from, zoom) };
  }, [view.left, zoom, from]);

  const scrollTo = props.scrollTo;
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll only when asked to
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || !scrollTo) return;
    el.scrollLeft = Math.max(0, xOf(scrollTo.ms, from, zoom) - 40);
    measure();
  }, [scrollTo]);

  const visibleRows = useMemo(() => {
    const top = view.top - HEADER_HEIGHT - OVERSCAN_ROWS_PX;
    const bottom = view.top + view.height + OVERSCAN_ROWS_PX;
    const out: BoardRow[] = [];
    for (let i = firstRowAt(rows, Math.max(0, top)); i < rows.length; i++) {
      const row = rows[i] as BoardRow;
      if (row.top > bottom) break;
      out.push(row);
    }
    return out;
  }, [rows, view.top, view.height]);

  const t0 = msAt(Math.max(0, view.left - OVERSCAN_PX), from, zoom);
  const t1 = msAt(view.left + view.width + OVERSCAN_PX, from, zoom);

  const visibleMachineKey = visibleRows
    .filter((r) => r.kind === 'machine')
    .map((r) => r.key)
    .join(',');
  const { onVisibleMachines } = props;
  useEffect(() => {
    if (visibleMachineKey) onVisibleMachines(visibleMachineKey.split(','));
  }, [visibleMachineKey, onVisibleMachines]);

  const header = useMemo(() => ticks(zoom, t0, t1, lang), [zoom, t0, t1, lang]);

  const rowAtY = (clientY: number): BoardRow | undefined => {
    const body = bodyRef.current;
    if (!body) return undefined;
    const y = clientY - body.getBoundingClientRect().top;
    const row = rows[firstRowAt(rows, y)];
    return row && row.top <= y ? row : undefined;
  };

  const onPointerDown = (bar: Bar) => (e: ReactPointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.stopPropagation();
    if (canMove && bar.locked !== 'frozen') e.currentTarget.setPointerCapture(e.pointerId);
    const state: DragState = {
      bar,
      pointerId: e.pointerId,
      x0: e.clientX,
      y0: e.clientY,
      moved: false,
      machineId: bar.machineId,
      startMs: bar.startMs,
    };
    dragRef.current = state;
    // Followed on the window: the bar under the pointer is re-rendered while it moves.
    const move = (ev: PointerEvent) => handlers.current.move(ev);
    const up = (ev: PointerEvent) => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      window.removeEventListener('pointercancel', cancel);
      handlers.current.up(ev);
    };
    const cancel = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      window.removeEventListener('pointercancel', cancel);
      handlers.current.cancel();
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    window.addEventListener('pointercancel', cancel);
  };

  const onPointerMove = (e: PointerEvent) => {
    const d = dragRef.current;
    if (!d || d.pointerId !== e.pointerId || !canMove || d.bar.locked === 'frozen') return;
    const dx = e.clientX - d.x0;
    const dy = e.clientY - d.y0;
    if (!d.moved && Math.abs(dx) + Math.abs(dy) < 5) return;
    const row = rowAtY(e.clientY);
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

  const renderBar = (bar: Bar, ghost: { machineId: string; startMs: number } | null) => {
    const startMs = ghost ? ghost.startMs : bar.startMs;
    const duration = bar.endMs - bar.startMs;
    const left = xOf(startMs, from, zoom);
    const w = Math.max(3, xOf(startMs + duration, from, zoom) - left);
    const fb = feedback && feedback.operationId === bar.operationId ? feedback : null;
    const conflicts = fb?.result?.conflicts ?? [];
    const classes = ['takt-gantt-bar'];
    if (bar.late) classes.push('is-late');
    if (bar.pinned) classes.push('is-pinned');
    if (ghost) classes.push('is-dragging');
    if (ghost && conflicts.length > 0) classes.push('has-conflicts');
    if (selected === bar.operationId) classes.push('is-selected');
    const label = `${bar.workOrderCode} / ${bar.seq}`;
    return (
      <div
        key={ghost ? `ghost-${bar.operationId}` : bar.operationId}
        className={classes.join(' ')}
        data-op={bar.operationId}
        data-wo={bar.workOrderCode}
        data-seq={bar.seq}
        data-machine={ghost ? ghost.machineId : bar.machineId}
        data-pinned={bar.pinned ? 'true' : 'false'}
        data-late={bar.late ? 'true' : 'false'}
        data-ghost={ghost ? 'true' : undefined}
        title={`${label} · ${bar.name}`}
        style={{
          left,
          width: w,
          background: `hsl(${bar.hue} 70% 86%)`,
          borderLeftColor: `hsl(${bar.hue} 60% 38%)`,
        }}
        onPointerDown={ghost ? undefined : onPointerDown(bar)}
      >
        {bar.pinned ? <PushpinFilled className="takt-gantt-pin" /> : null}
        {ghost && conflicts.length > 0 ? <WarningFilled className="takt-gantt-warn" /> : null}
        {w > 36 ? <span className="takt-gantt-label">{label}</span> : null}
      </div>
    );
  };

  const rowTop = (machineId: string) => rows.find((r) => r.kind === 'machine' && r.key === machineId)?.top;

  const feedbackBox = () => {
    if (!feedback) return null;
    const top = rowTop(feedback.machineId);
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

  const selectedBar = (() => {
    if (!selected) return null;
    for (const list of barsByMachine.values()) {
      const found = list.find((b) => b.operationId === selected);
      if (found) return found;
    }
    return null;
  })();

  const stepPx =
    zoom === 'hour' ? PX_PER_HOUR.hour : zoom === 'day' ? PX_PER_HOUR.day * 6 : PX_PER_HOUR.week * 24;
  const grid = `repeating-linear-gradient(to right, var(--takt-gantt-grid) 0 1px, transparent 1px ${stepPx}px)`;

  return (
    <div className="takt-gantt" style={{ height }}>
      <div className="takt-gantt-labels" style={{ width: LABEL_WIDTH }}>
        <div className="takt-gantt-corner" style={{ height: HEADER_HEIGHT }} />
        <div className="takt-gantt-labels-clip">
          <div ref={labelsRef} className="takt-gantt-labels-inner" style={{ height: totalHeight }}>
            {visibleRows.map((row) =>
              row.kind === 'group' ? (
                <div key={row.key} className="takt-gantt-group" style={{ top: row.top, height: row.height }}>
                  {row.label}
                </div>
              ) : (
                <div
                  key={row.key}
                  className={`takt-gantt-machine${drag?.machineId === row.key ? ' is-target' : ''}`}
                  data-machine-row={row.code}
                  style={{ top: row.top, height: row.height }}
                >
                  <span className={`takt-gantt-dot is-${row.status}`} />
                  <b>{row.code}</b>
                  <span className="takt-gantt-machine-name">{row.name}</span>
                </div>
              ),
            )}
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
            {visibleRows.map((row) => {
              if (row.kind === 'group') {
                return (
                  <div
                    key={row.key}
                    className="takt-gantt-group-band"
                    style={{ top: row.top, height: row.height }}
                  />
                );
              }
              const bars = (barsByMachine.get(row.key) ?? []).filter((b) => b.endMs >= t0 && b.startMs <= t1);
              const bands = (offShift.get(row.key) ?? []).filter((b) => b.end >= t0 && b.start <= t1);
              return (
                <div
                  key={row.key}
                  className={`takt-gantt-row${drag?.machineId === row.key ? ' is-target' : ''}`}
                  data-row={row.code}
                  style={{ top: row.top, height: row.height }}
                >
                  {bands.map((b) => {
                    const l = xOf(Math.max(b.start, t0), from, zoom);
                    const r = xOf(Math.min(b.end, t1), from, zoom);
                    return <div key={b.start} className="takt-gantt-off" style={{ left: l, width: r - l }} />;
                  })}
                  {bars.map((bar) =>
                    drag?.moved && drag.bar.operationId === bar.operationId ? (
                      <div
                        key={bar.operationId}
                        className="takt-gantt-bar is-origin"
                        style={{
                          left: xOf(bar.startMs, from, zoom),
                          width: xOf(bar.endMs, from, zoom) - xOf(bar.startMs, from, zoom),
                        }}
                      />
                    ) : (
                      renderBar(bar, null)
                    ),
                  )}
                  {drag?.moved && drag.machineId === row.key
                    ? renderBar(drag.bar, { machineId: drag.machineId, startMs: drag.startMs })
                    : null}
                  {!drag && feedback?.checking && feedback.machineId === row.key
                    ? (() => {
                        const bar = [...barsByMachine.values()]
                          .flat()
                          .find((b) => b.operationId === feedback.operationId);
                        return bar
                          ? renderBar(bar, { machineId: feedback.machineId, startMs: feedback.startMs })
                          : null;
                      })()
                    : null}
                </div>
              );
            })}
            {feedbackBox()}
            {selectedBar && !drag ? (
              <div
                className="takt-gantt-detail"
                style={{
                  left: Math.max(0, xOf(selectedBar.startMs, from, zoom)),
                  top: (rowTop(selectedBar.machineId) ?? 0) + 38,
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
}
