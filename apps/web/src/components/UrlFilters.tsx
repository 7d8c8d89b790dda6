import type { User } from '@takt/contracts';
import { Flex, Input } from 'antd';
import { useEffect, useState } from 'react';
import { listUsers } from '../api/identity.ts';
import { useDebounced, useUrlState } from './entity/EntityListPage.tsx';

/**
 * A free-text filter kept in the URL under `key`: the input follows every keystroke, the URL (and so the
 * list) follows once typing has paused for `wait` ms. Returns the text as typed and its setter.
 */
export function useUrlText(key: string, wait: number): [string, (text: string) => void] {
  const [params, update] = useUrlState();
  const current = params.get(key) ?? '';
  const [text, setText] = useState(current);
  const debounced = useDebounced(text.trim(), wait);
  useEffect(() => {
    if (debounced !== current) update({ [key]: debounced || undefined });
  }, [debounced, current, key, update]);
  return [text, setText];
}

/** Up to 50 users whose login or name matches `q`, asked of the server once typing pauses. */
export function useUserSearch(q: string): User[] {
  const [users, setUsers] = useState<User[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      listUsers({ ...(q ? { q } : {}), limit: 50 }, controller.signal)
        .then((p) => setUsers(p.items))
        .catch(() => undefined);
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q]);
  return users;
}

/** `datetime-local` input value → ISO instant (local time), or undefined. */
export const localToIso = (v: string | undefined) => (v ? new Date(v).toISOString() : undefined);

/** The from – to inputs of a time-window filter, in local time; `onChange` gets `{ from }` or `{ to }`. */
export function DateTimeRangeFilter({
  from,
  to,
  fromLabel,
  toLabel,
  onChange,
}: {
  from: string | undefined;
  to: string | undefined;
  fromLabel: string;
  toLabel: string;
  onChange(patch: Record<string, string | undefined>): void;
}) {
  return (
    <Flex gap={4} align="center">
      <Input
        type="datetime-local"
        aria-label={fromLabel}
        title={fromLabel}
        value={from ?? ''}
        onChange={(e) => onChange({ from: e.target.value || undefined })}
        style={{ width: 200 }}
      />
      <span>–</span>
      <Input
        type="datetime-local"
        aria-label={toLabel}
        title={toLabel}
        value={to ?? ''}
        onChange={(e) => onChange({ to: e.target.value || undefined })}
        style={{ width: 200 }}
      />
    </Flex>
  );
}
