import { type UIEvent, useCallback } from 'react';
import type { CursorList } from './useCursorList.ts';

/** The scroll handler of a virtual table: asks for the next page once the bottom is less than 240 px away. */
export function useLoadMoreOnScroll(
  list: Pick<CursorList<unknown>, 'nextCursor' | 'loadingMore' | 'loading' | 'loadMore'>,
): (e: UIEvent<HTMLDivElement>) => void {
  const { nextCursor, loadingMore, loading, loadMore } = list;
  return useCallback(
    (e: UIEvent<HTMLDivElement>) => {
      const el = e.currentTarget;
      if (!nextCursor || loadingMore || loading) return;
      if (el.scrollHeight - el.scrollTop - el.clientHeight < 240) loadMore();
    },
    [nextCursor, loadingMore, loading, loadMore],
  );
}
