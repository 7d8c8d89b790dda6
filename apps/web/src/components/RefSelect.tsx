import { Select } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResourceApi, Versioned } from '../api/masterdata.ts';

type Ref = Versioned & { code: string; name: string };

interface Props {
  api: ResourceApi<Ref>;
  value?: string | string[] | null;
  onChange?: (value: string | string[] | null) => void;
  mode?: 'multiple';
  placeholder?: string;
  allowClear?: boolean;
  disabled?: boolean;
  id?: string;
  className?: string;
  /** Extra list filters, e.g. `{ type: 'raw' }`. */
  filter?: Record<string, string | boolean>;
  'aria-label'?: string;
}

/** A select of master-data records by code and name, searched on the server as you type. */
export function RefSelect({ api, value, onChange, mode, filter, ...rest }: Props) {
  const { t } = useTranslation();
  const [options, setOptions] = useState<Ref[]>([]);
  const [known, setKnown] = useState<Map<string, Ref>>(new Map());
  const [loading, setLoading] = useState(false);
  const [search, setSearch] = useState('');
  const filterKey = JSON.stringify(filter ?? {});
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `filterKey` stands for `filter`
  useEffect(() => {
    const controller = new AbortController();
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      setLoading(true);
      api
        .list({ q: search.trim() || undefined, limit: 50, ...(filter ?? {}) }, controller.signal)
        .then((page) => {
          setOptions(page.items);
          setKnown((m) => {
            const next = new Map(m);
            for (const r of page.items) next.set(r.id, r);
            return next;
          });
        })
        .catch(() => undefined)
        .finally(() => setLoading(false));
    }, 250);
    return () => {
      clearTimeout(timer.current);
      controller.abort();
    };
  }, [api, search, filterKey]);

  const ids = useMemo(() => (Array.isArray(value) ? value : value ? [value] : []), [value]);
  // Selected records not among the loaded options still need a label.
  useEffect(() => {
    const missing = ids.filter((id) => !known.has(id));
    if (!missing.length) return;
    const controller = new AbortController();
    Promise.all(missing.map((id) => api.get(id, controller.signal).catch(() => null)))
      .then((found) =>
        setKnown((m) => {
          const next = new Map(m);
          for (const r of found) if (r) next.set(r.id, r);
          return next;
        }),
      )
      .catch(() => undefined);
    return () => controller.abort();
  }, [api, ids, known]);

  const shown = new Map<string, Ref>();
  for (const id of ids) {
    const r = known.get(id);
    if (r) shown.set(id, r);
  }
  for (const r of options) shown.set(r.id, r);

  return (
    <Select
      {...rest}
      mode={mode}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      value={mode ? ids : (value ?? undefined)}
      onChange={(v: string | string[] | undefined) => onChange?.(v ?? null)}
      loading={loading}
      notFoundContent={loading ? t('app.loading') : t('common.noData')}
      options={[...shown.values()].map((r) => ({
        value: r.id,
        label: (
          <span>
            <span className="takt-mono">{r.code}</span> {r.name}
          </span>
        ),
        title: `${r.code} ${r.name}`,
      }))}
      optionLabelProp="label"
    />
  );
}
