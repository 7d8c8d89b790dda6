import type { Item } from '@takt/contracts';
import { useEffect, useState } from 'react';
import { getItem } from '../../api/items.ts';

const known = new Map<string, Item>();
const inFlight = new Map<string, Promise<Item | null>>();

/** Items by id for rows that carry only the id (stock moves); each item is read once per page load. */
export function useItemLabels(ids: readonly string[]): Map<string, Item> {
  const [, setVersion] = useState(0);
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    if (!key) return;
    const missing = key.split(',').filter((id) => !known.has(id));
    if (!missing.length) return;
    let alive = true;
    void Promise.all(
      missing.map((id) => {
        let p = inFlight.get(id);
        if (!p) {
          p = getItem(id)
            .then((item) => {
              known.set(id, item);
              return item;
            })
            .catch(() => null)
            .finally(() => inFlight.delete(id));
          inFlight.set(id, p);
        }
        return p;
      }),
    ).then(() => {
      if (alive) setVersion((n) => n + 1);
    });
    return () => {
      alive = false;
    };
  }, [key]);
  return known;
}
