import { useSyncExternalStore } from 'react';

/** Whether a CSS media query matches, read synchronously so the first render already has the answer. */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    () => window.matchMedia(query).matches,
    () => false,
  );
}

/** A touch screen is the main pointer: controls get at least 44 px targets. */
export function useCoarsePointer(): boolean {
  return useMediaQuery('(pointer: coarse)');
}
