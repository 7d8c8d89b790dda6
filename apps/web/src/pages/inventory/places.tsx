import type { Warehouse } from '@takt/contracts';
import { Select } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listPlaces, type PlaceOption } from '../../api/inventory.ts';

interface Places {
  warehouses: Warehouse[];
  places: PlaceOption[];
  byId: Map<string, PlaceOption>;
  loading: boolean;
}

let cache: Promise<{ warehouses: Warehouse[]; places: PlaceOption[] }> | null = null;

/** Warehouses and their locations, read once per page load (they change rarely). */
export function usePlaces(): Places {
  const [state, setState] = useState<Places>({ warehouses: [], places: [], byId: new Map(), loading: true });
  useEffect(() => {
    cache ??= listPlaces().catch((e: unknown) => {
      cache = null;
      throw e;
    });
    let alive = true;
    cache
      .then((r) => {
        if (alive) setState({ ...r, byId: new Map(r.places.map((p) => [p.id, p])), loading: false });
      })
      .catch(() => {
        if (alive) setState((s) => ({ ...s, loading: false }));
      });
    return () => {
      alive = false;
    };
  }, []);
  return state;
}

/** "RM-A01 钢材架 A01 · 原材料仓" */
export function placeLabel(p: PlaceOption | undefined, fallback = '—'): string {
  return p ? `${p.code} ${p.name} · ${p.warehouseName}` : fallback;
}

interface PlaceSelectProps {
  value?: string | null;
  onChange?: (value: string | undefined) => void;
  id?: string;
  placeholder?: string;
  allowClear?: boolean;
  warehouseId?: string | undefined;
  className?: string;
  'aria-label'?: string;
}

/** A location picker grouped by warehouse, searchable by code and name. */
export function PlaceSelect({ value, onChange, warehouseId, placeholder, ...rest }: PlaceSelectProps) {
  const { t } = useTranslation();
  const { warehouses, places, loading } = usePlaces();
  const options = warehouses
    .filter((w) => !warehouseId || w.id === warehouseId)
    .map((w) => ({
      label: `${w.code} ${w.name}`,
      title: w.name,
      options: places
        .filter((p) => p.warehouseId === w.id)
        .map((p) => ({ value: p.id, label: `${p.code} ${p.name}`, search: `${p.code} ${p.name} ${w.code}` })),
    }))
    .filter((g) => g.options.length > 0);
  return (
    <Select
      {...rest}
      showSearch={{
        filterOption: (input, option) =>
          String((option as { search?: string } | undefined)?.search ?? '')
            .toLowerCase()
            .includes(input.toLowerCase()),
      }}
      loading={loading}
      placeholder={placeholder ?? t('inventory.pickLocation')}
      value={value ?? undefined}
      onChange={(v?: string) => onChange?.(v)}
      options={options}
      notFoundContent={loading ? t('app.loading') : t('common.noData')}
    />
  );
}

export function WarehouseSelect({
  value,
  onChange,
  ...rest
}: {
  value?: string | undefined;
  onChange?: (value: string | undefined) => void;
  className?: string;
  placeholder?: string;
  allowClear?: boolean;
  'aria-label'?: string;
}) {
  const { warehouses, loading } = usePlaces();
  return (
    <Select
      {...rest}
      loading={loading}
      value={value}
      onChange={(v?: string) => onChange?.(v)}
      options={warehouses.map((w) => ({ value: w.id, label: `${w.code} ${w.name}` }))}
    />
  );
}
