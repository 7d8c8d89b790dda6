import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';

/**
 * Runs `fn` at most once per `wait` ms: the first call runs at once, calls during the wait are folded
 * into one trailing run. Used to refresh lists on bursts of live events.
 */
export function useThrottledCallback(fn: () => void, wait: number): () => void {
  const fnRef = useRef(fn);
  useLayoutEffect(() => {
    fnRef.current = fn;
  });
  const state = useRef<{ last: number; timer: ReturnType<typeof setTimeout> | null }>({
    last: 0,
    timer: null,
  });
  useEffect(
    () => () => {
      if (state.current.timer) clearTimeout(state.current.timer);
    },
    [],
  );
  return useMemo(
    () => () => {
      const s = state.current;
      if (s.timer) return;
      const elapsed = Date.now() - s.last;
      if (elapsed >= wait) {
        s.last = Date.now();
        fnRef.current();
        return;
      }
      s.timer = setTimeout(() => {
        s.timer = null;
        s.last = Date.now();
        fnRef.current();
      }, wait - elapsed);
    },
    [wait],
  );
}
