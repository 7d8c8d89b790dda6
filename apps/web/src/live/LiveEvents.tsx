import type { DomainEvent } from '@takt/contracts';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { API, ApiError, notifyUnauthorized } from '../api/client.ts';
import { LiveConnection, type LiveSnapshot, topicOf } from './connection.ts';

type Handler = (event: DomainEvent) => void;

interface Subscription {
  topics: readonly string[];
  handler: { current: Handler };
  onResync: { current: (() => void) | undefined };
}

interface LiveEventsApi {
  subscribe(subscription: Subscription): () => void;
  reconnectNow(): void;
}

const LiveApiContext = createContext<LiveEventsApi | null>(null);
const LiveStatusContext = createContext<LiveSnapshot>({
  status: 'idle',
  connectedAt: null,
  retryAt: null,
  failures: 0,
  browserOffline: false,
});

/**
 * Holds the one live-event connection of the app. `topics` are always subscribed (so moving between
 * pages does not reconnect); topics that hooks ask for beyond them are added on the fly.
 */
export function LiveEventsProvider({ topics, children }: { topics: readonly string[]; children: ReactNode }) {
  const [snapshot, setSnapshot] = useState<LiveSnapshot>(() => ({
    status: 'idle',
    connectedAt: null,
    retryAt: null,
    failures: 0,
    browserOffline: navigator.onLine === false,
  }));
  const subscriptions = useRef(new Set<Subscription>());
  const baseTopics = useRef<readonly string[]>(topics);
  const connectionRef = useRef<LiveConnection | null>(null);

  const wantedTopics = useCallback((): string[] => {
    const all = new Set(baseTopics.current);
    for (const s of subscriptions.current) for (const t of s.topics) all.add(t);
    return [...all];
  }, []);

  /** Reconnects only when a topic is missing: extra topics are simply filtered out here. */
  const syncTopics = useCallback(() => {
    const connection = connectionRef.current;
    if (!connection) return;
    const wanted = wantedTopics();
    const current = new Set(connection.topics);
    const missing = wanted.some((t) => !current.has(t));
    if (missing || (wanted.length === 0 && current.size > 0)) connection.setTopics(wanted);
  }, [wantedTopics]);

  useLayoutEffect(() => {
    baseTopics.current = topics;
    syncTopics();
  }, [topics, syncTopics]);

  useEffect(() => {
    const connection = new LiveConnection({
      url: `${API}/events`,
      onStatus: setSnapshot,
      onEvent: (event) => {
        const topic = topicOf(event.type);
        for (const s of subscriptions.current) {
          if (s.topics.includes(topic)) s.handler.current(event);
        }
      },
      onResync: () => {
        for (const s of subscriptions.current) s.onResync.current?.();
      },
      onUnauthorized: () =>
        notifyUnauthorized(new ApiError({ status: 401, code: 'UNAUTHORIZED', title: 'Unauthorized' })),
    });
    connectionRef.current = connection;
    connection.start();
    // Children subscribed in their own effects, which ran before this one: connect once for all of them.
    connection.setTopics(wantedTopics());
    return () => {
      connection.stop();
      connectionRef.current = null;
    };
  }, [wantedTopics]);

  const api = useMemo<LiveEventsApi>(
    () => ({
      subscribe(subscription) {
        subscriptions.current.add(subscription);
        syncTopics();
        return () => {
          subscriptions.current.delete(subscription);
        };
      },
      reconnectNow() {
        connectionRef.current?.reconnectNow();
      },
    }),
    [syncTopics],
  );

  return (
    <LiveApiContext.Provider value={api}>
      <LiveStatusContext.Provider value={snapshot}>{children}</LiveStatusContext.Provider>
    </LiveApiContext.Provider>
  );
}

export interface LiveEventOptions {
  /** Called after the connection comes back from a break, when events may have been missed. */
  onResync?: () => void;
}

/**
 * Calls `handler` for every live event whose type starts with one of `topics` (`item` matches
 * `item.created`, `item.updated`, …). The latest `handler` is always used; it need not be memoised.
 */
export function useLiveEvents(
  topics: readonly string[],
  handler: Handler,
  options: LiveEventOptions = {},
): void {
  const api = useContext(LiveApiContext);
  const handlerRef = useRef(handler);
  const resyncRef = useRef(options.onResync);
  useLayoutEffect(() => {
    handlerRef.current = handler;
    resyncRef.current = options.onResync;
  });
  const key = [...topics].sort().join(',');
  useEffect(() => {
    if (!api || key === '') return;
    return api.subscribe({ topics: key.split(','), handler: handlerRef, onResync: resyncRef });
  }, [api, key]);
}

export function useLiveStatus(): LiveSnapshot & { reconnectNow(): void } {
  const snapshot = useContext(LiveStatusContext);
  const api = useContext(LiveApiContext);
  return { ...snapshot, reconnectNow: () => api?.reconnectNow() };
}
