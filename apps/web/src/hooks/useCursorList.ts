import type { PageOf } from '@takt/contracts';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { type ApiError, asApiError, isAbortError, isApiError } from '../api/client.ts';

export type PageFetcher<T> = (
  cursor: string | undefined,
  limit: number,
  signal: AbortSignal,
) => Promise<PageOf<T>>;

export interface CursorList<T> {
  items: T[];
  nextCursor: string | null;
  /** The first page (or a reload) is on its way. */
  loading: boolean;
  loadingMore: boolean;
  error: ApiError | null;
  loadMore(): void;
  /** Fetches again as many rows as are loaded now (up to 500), keeping the user's place. */
  reload(): void;
  setItems(update: (items: T[]) => T[]): void;
}

const MAX_LIMIT = 500;

/**
 * A keyset-paginated list: the first page whenever `key` changes (new filters), more pages on
 * `loadMore`. Stale answers are dropped, so quick filter changes never show old rows.
 */
export function useCursorList<T>(fetchPage: PageFetcher<T>, key: string, pageSize = 50): CursorList<T> {
  const [items, setItemsState] = useState<T[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [reloadTick, setReloadTick] = useState(0);
  const fetchRef = useRef(fetchPage);
  useLayoutEffect(() => {
    fetchRef.current = fetchPage;
  });
  const generation = useRef(0);
  const moreController = useRef<AbortController | null>(null);
  const itemsCount = useRef(0);
  const keyRef = useRef(key);
  /** Loads started and not yet settled (first page, reloads, more pages). */
  const inFlight = useRef(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` and `reloadTick` are the triggers
  useEffect(() => {
    const keyChanged = keyRef.current !== key;
    keyRef.current = key;
    const gen = ++generation.current;
    moreController.current?.abort();
    setLoadingMore(false);
    const controller = new AbortController();
    const limit = keyChanged
      ? pageSize
      : Math.min(MAX_LIMIT, Math.max(pageSize, Math.ceil(itemsCount.current / pageSize) * pageSize));
    if (keyChanged) {
      setItemsState([]);
      setNextCursor(null);
      itemsCount.current = 0;
    }
    setLoading(true);
    inFlight.current++;
    fetchRef
      .current(undefined, limit, controller.signal)
      .then((page) => {
        if (gen !== generation.current) return;
        itemsCount.current = page.items.length;
        setItemsState(page.items);
        setNextCursor(page.nextCursor);
        setError(null);
      })
      .catch((e: unknown) => {
        if (gen !== generation.current || isAbortError(e)) return;
        setError(asApiError(e));
        if (!isApiError(e)) console.error(e);
      })
      .finally(() => {
        inFlight.current--;
        if (gen === generation.current) setLoading(false);
      });
    return () => controller.abort();
  }, [key, reloadTick, pageSize]);

  const loadMore = useCallback(() => {
    if (!nextCursor || loading || loadingMore) return;
    const gen = generation.current;
    const controller = new AbortController();
    moreController.current = controller;
    setLoadingMore(true);
    inFlight.current++;
    fetchRef
      .current(nextCursor, pageSize, controller.signal)
      .then((page) => {
        if (gen !== generation.current) return;
        setItemsState((prev) => {
          const next = [...prev, ...page.items];
          itemsCount.current = next.length;
          return next;
        });
        setNextCursor(page.nextCursor);
        setError(null);
      })
      .catch((e: unknown) => {
        if (gen !== generation.current || isAbortError(e)) return;
        setError(asApiError(e));
        if (!isApiError(e)) console.error(e);
      })
      .finally(() => {
        inFlight.current--;
        if (gen === generation.current) setLoadingMore(false);
      });
  }, [nextCursor, loading, loadingMore, pageSize]);

  const reload = useCallback(() => setReloadTick((n) => n + 1), []);

  // A local change (a row the server just returned from a write) wins over any answer still on its way:
  // that answer was read before the write and would put the old row back. Such answers are dropped, and
  // the list is read again after the write.
  const setItems = useCallback((update: (items: T[]) => T[]) => {
    if (inFlight.current) {
      generation.current++;
      moreController.current?.abort();
      setReloadTick((n) => n + 1);
    }
    setItemsState((prev) => {
      const next = update(prev);
      itemsCount.current = next.length;
      return next;
    });
  }, []);

  return { items, nextCursor, loading, loadingMore, error, loadMore, reload, setItems };
}
