import type { CustomFieldEntity } from '@takt/contracts';
import { Input, Select, Space } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { customFieldLabel, useCustomFieldDefs } from './CustomFields.tsx';
import './customFields.css';

/** The list query parameters of a custom field filter. */
export interface CustomFilter {
  customField?: string;
  customValue?: string;
}

/** The filter as the URL holds it (`customField`, `customValue`). */
export function customFilterOf(params: URLSearchParams): CustomFilter {
  const customField = params.get('customField') ?? undefined;
  const customValue = params.get('customValue') ?? undefined;
  return customField ? { customField, ...(customValue ? { customValue } : {}) } : {};
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * Picks one of the entity's custom fields and a value to match: a choice from its options, a date,
 * or typed text (contained) or number (equal). A field without a value lists the records that have
 * one. Renders nothing while the entity has no custom fields.
 */
export function CustomFieldFilter({
  entity,
  value,
  onChange,
}: {
  entity: CustomFieldEntity;
  value: CustomFilter;
  onChange: (next: CustomFilter) => void;
}) {
  const { t, i18n } = useTranslation('customFields');
  const defs = useCustomFieldDefs(entity);
  const field = value.customField;
  const def = defs.find((d) => d.key === field);
  const [text, setText] = useState(value.customValue ?? '');
  useEffect(() => setText(value.customValue ?? ''), [value.customValue]);
  const change = useRef(onChange);
  change.current = onChange;
  const kind = def?.kind;
  // Typed text and numbers apply once typing pauses, like the search box.
  useEffect(() => {
    const typed = text.trim();
    if (!field || (kind !== 'text' && kind !== 'number') || typed === (value.customValue ?? '')) return;
    if (kind === 'number' && typed !== '' && !NUMBER.test(typed)) return;
    const timer = setTimeout(
      () => change.current({ customField: field, ...(typed ? { customValue: typed } : {}) }),
      350,
    );
    return () => clearTimeout(timer);
  }, [text, field, kind, value.customValue]);

  if (defs.length === 0 && !field) return null;
  const set = (v: string | undefined) =>
    onChange(field ? { customField: field, ...(v ? { customValue: v } : {}) } : {});
  const label = def ? customFieldLabel(def, i18n.language) : t('filterValue');
  return (
    <Space.Compact data-testid="custom-field-filter">
      <Select
        allowClear
        className="takt-cf-filter-field"
        placeholder={t('filterField')}
        aria-label={t('filterField')}
        value={field}
        onChange={(key?: string) => {
          setText('');
          onChange(key ? { customField: key } : {});
        }}
        options={defs.map((d) => ({ value: d.key, label: customFieldLabel(d, i18n.language) }))}
      />
      {!def ? null : def.kind === 'choice' ? (
        <Select
          allowClear
          className="takt-cf-filter-value"
          placeholder={t('filterAny')}
          aria-label={label}
          value={value.customValue}
          onChange={(v?: string) => set(v)}
          options={def.options.map((o) => ({ value: o, label: o }))}
        />
      ) : def.kind === 'date' ? (
        <Input
          type="date"
          className="takt-cf-filter-value"
          aria-label={label}
          value={value.customValue ?? ''}
          onChange={(e) => set(e.target.value || undefined)}
        />
      ) : (
        <Input
          allowClear
          className="takt-cf-filter-value"
          placeholder={t('filterAny')}
          aria-label={label}
          inputMode={def.kind === 'number' ? 'decimal' : undefined}
          status={def.kind === 'number' && text.trim() !== '' && !NUMBER.test(text.trim()) ? 'error' : ''}
          maxLength={200}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onPressEnter={() => {
            const v = text.trim();
            if (def.kind !== 'number' || v === '' || NUMBER.test(v)) set(v || undefined);
          }}
        />
      )}
    </Space.Compact>
  );
}
