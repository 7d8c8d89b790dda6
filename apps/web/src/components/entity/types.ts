import type { CustomFieldEntity } from '@takt/contracts';
import type { SheetEntity } from '../../api/sheets.ts';
import type { TableColumnsType } from 'antd';
import type { ReactNode } from 'react';
import type { ResourceApi, Versioned } from '../../api/masterdata.ts';

/** What every master-data record in a generic list has. */
export type EntityRow = Versioned & { code: string; name: string; active: boolean };

export type FieldKind = 'text' | 'textarea' | 'select' | 'int' | 'decimal' | 'money' | 'switch' | 'tags';

export interface FieldDef {
  /** Form field name; also the server field its errors come back on. */
  name: string;
  label: string;
  kind?: FieldKind;
  required?: boolean;
  max?: number;
  min?: number;
  options?: { value: string | number; label: string }[];
  placeholder?: string;
  help?: string;
  /** Set on create only (codes): shown read-only when editing and never sent in a change. */
  createOnly?: boolean;
  /** Only when editing (e.g. the active switch). */
  editOnly?: boolean;
  /** A code: typed in capitals, monospaced, with the code rule as help. */
  code?: boolean;
  /** Columns out of 24 on wide screens. */
  span?: number;
  /** A control of its own inside the standard form item (e.g. a record select). */
  control?: ReactNode;
  /** A whole form item of its own (lists of contacts, shifts…), rendered instead of the standard one. */
  render?: (ctx: { editing: boolean }) => ReactNode;
}

export interface FilterDef {
  /** URL and list query parameter. */
  key: string;
  label: string;
  options?: { value: string; label: string }[];
  /** A control of its own; gets the value and a setter. */
  render?: (value: string | undefined, set: (value: string | undefined) => void) => ReactNode;
}

export interface EntityTexts {
  title: string;
  subtitle: string;
  /** "New customer" */
  create: string;
  /** "Edit customer C-0001" */
  edit: (code: string) => string;
  /** "Customer" in "Customer C-0001 was created." */
  noun: string;
}

export interface EntityConfig<T extends EntityRow, V extends object> {
  api: ResourceApi<T>;
  /** Live event topic, e.g. `customer`. */
  topic: string;
  /** Key of the code rule that applies (`customers`), if any. */
  codeRule?: string;
  /** Offers a filter on this entity's custom fields, e.g. 'customers'. */
  customFields?: CustomFieldEntity;
  /** Shows Export/Import (sheets) for this entity, e.g. 'customers'. */
  sheet?: SheetEntity;
  /** Further sheets offered on the same page (e.g. a warehouse's locations). */
  moreSheets?: readonly { entity: SheetEntity; noun: string; label: string }[];
  texts: EntityTexts;
  /** Columns between code/name and status/updated. */
  columns: TableColumnsType<T>;
  /** Width of those columns, for the horizontal scroll. */
  columnsWidth: number;
  fields: FieldDef[];
  toForm(entity: T | null): V;
  /** The create body; when editing, what changed is sent (with the version read). */
  toBody(values: V, editing: boolean): Record<string, unknown>;
  filters?: FilterDef[];
  /** Sections under the form when editing, e.g. machine status and availability. */
  detail?: (entity: T, replace: (entity: T) => void) => ReactNode;
  drawerWidth?: number;
  /** Server field names → form field names. */
  rename?: Record<string, string>;
}
