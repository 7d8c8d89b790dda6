import type { Employee, Tool, Warehouse } from '@takt/contracts';
import { Progress, Space, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import {
  employeesApi,
  itemsApi,
  type ResourceApi,
  toolsApi,
  type Versioned,
  warehousesApi,
} from '../../api/masterdata.ts';
import { EntityListPage } from '../../components/entity/EntityListPage.tsx';
import { ListField } from '../../components/entity/ListField.tsx';
import type { EntityConfig } from '../../components/entity/types.ts';
import { RefSelect } from '../../components/RefSelect.tsx';
import { activeField, codeAndName, trimmed } from './common.tsx';

type RefApi = ResourceApi<Versioned & { code: string; name: string }>;

interface WarehouseForm {
  code: string;
  name: string;
  address: string;
  active: boolean;
}

export function WarehousesPage() {
  const { t } = useTranslation();
  const { t: ts } = useTranslation('sheets');
  const config = useMemo<EntityConfig<Warehouse, WarehouseForm>>(
    () => ({
      api: warehousesApi,
      topic: 'warehouse',
      sheet: 'warehouses',
      moreSheets: [{ entity: 'locations', noun: ts('locationNoun'), label: ts('locations') }],
      codeRule: 'warehouses',
      texts: {
        title: t('warehouses.title'),
        subtitle: t('warehouses.subtitle'),
        create: t('warehouses.new'),
        edit: (code) => t('warehouses.edit', { code }),
        noun: t('warehouses.noun'),
      },
      columnsWidth: 360,
      columns: [
        { key: 'address', dataIndex: 'address', title: t('md.fields.address'), width: 360, ellipsis: true },
      ],
      fields: [
        ...codeAndName(t),
        { name: 'address', label: t('md.fields.address'), kind: 'textarea', max: 300 },
        activeField(t),
      ],
      toForm: (w) => ({
        code: w?.code ?? '',
        name: w?.name ?? '',
        address: w?.address ?? '',
        active: w?.active ?? true,
      }),
      toBody: (v, editing) => ({
        code: trimmed(v.code),
        name: trimmed(v.name),
        address: trimmed(v.address),
        ...(editing ? { active: v.active } : {}),
      }),
    }),
    [t, ts],
  );
  return <EntityListPage config={config} />;
}

interface EmployeeForm {
  code: string;
  name: string;
  team: string;
  shift: string;
  badgeCode: string;
  skills: { skill: string; level: number }[];
  active: boolean;
}

export function EmployeesPage() {
  const { t } = useTranslation();
  const config = useMemo<EntityConfig<Employee, EmployeeForm>>(
    () => ({
      api: employeesApi,
      topic: 'employee',
      sheet: 'employees',
      codeRule: 'employees',
      texts: {
        title: t('employees.title'),
        subtitle: t('employees.subtitle'),
        create: t('employees.new'),
        edit: (code) => t('employees.edit', { code }),
        noun: t('employees.noun'),
      },
      columnsWidth: 140 + 90 + 110 + 280,
      columns: [
        { key: 'team', dataIndex: 'team', title: t('employees.team'), width: 140, ellipsis: true },
        { key: 'shift', dataIndex: 'shift', title: t('employees.shift'), width: 90 },
        {
          key: 'badge',
          dataIndex: 'badgeCode',
          title: t('employees.badge'),
          width: 110,
          render: (v: string | null) => <span className="takt-mono">{v ?? '—'}</span>,
        },
        {
          key: 'skills',
          title: t('employees.skills'),
          width: 280,
          render: (_, e) => (
            <Space size={[4, 4]} wrap>
              {e.skills.map((s) => (
                <Tag key={s.skill}>
                  {s.skill} · {s.level}
                </Tag>
              ))}
            </Space>
          ),
        },
      ],
      fields: [
        ...codeAndName(t),
        { name: 'team', label: t('employees.team'), max: 60, span: 12 },
        { name: 'shift', label: t('employees.shift'), max: 60, span: 12 },
        { name: 'badgeCode', label: t('employees.badge'), max: 64, span: 12, help: t('employees.badgeHelp') },
        {
          name: 'skills',
          label: t('employees.skills'),
          render: () => (
            <ListField
              name="skills"
              label={t('employees.skills')}
              addLabel={t('employees.addSkill')}
              newRow={() => ({ skill: '', level: 1 })}
              fields={[
                { name: 'skill', label: t('employees.skill'), required: true, max: 40, width: 200 },
                {
                  name: 'level',
                  label: t('employees.level'),
                  kind: 'select',
                  required: true,
                  width: 100,
                  options: [1, 2, 3, 4, 5].map((n) => ({ value: n, label: String(n) })),
                },
              ]}
            />
          ),
        },
        activeField(t),
      ],
      toForm: (e) => ({
        code: e?.code ?? '',
        name: e?.name ?? '',
        team: e?.team ?? '',
        shift: e?.shift ?? '',
        badgeCode: e?.badgeCode ?? '',
        skills: e?.skills.map((s) => ({ ...s })) ?? [],
        active: e?.active ?? true,
      }),
      toBody: (v, editing) => ({
        code: trimmed(v.code),
        name: trimmed(v.name),
        team: trimmed(v.team),
        shift: trimmed(v.shift),
        badgeCode: trimmed(v.badgeCode) || null,
        skills: (v.skills ?? []).map((s) => ({ skill: trimmed(s.skill), level: s.level })),
        ...(editing ? { active: v.active } : {}),
      }),
    }),
    [t],
  );
  return <EntityListPage config={config} />;
}

const TOOL_KINDS = ['tool', 'mold', 'fixture'] as const;
type ToolKind = (typeof TOOL_KINDS)[number];
const KIND_COLORS: Record<ToolKind, string> = { tool: 'blue', mold: 'purple', fixture: 'cyan' };

interface ToolForm {
  code: string;
  name: string;
  kind: ToolKind;
  qtyAvailable: number | null;
  setupFamily: string;
  usageLimit: number | null;
  itemIds: string[];
  machineCodes: string[];
  active: boolean;
}

export function ToolsPage() {
  const { t } = useTranslation();
  const config = useMemo<EntityConfig<Tool, ToolForm>>(
    () => ({
      api: toolsApi,
      topic: 'tool',
      sheet: 'tools',
      codeRule: 'tools',
      texts: {
        title: t('tools.title'),
        subtitle: t('tools.subtitle'),
        create: t('tools.new'),
        edit: (code) => t('tools.edit', { code }),
        noun: t('tools.noun'),
      },
      columnsWidth: 100 + 90 + 150 + 200 + 160,
      columns: [
        {
          key: 'kind',
          dataIndex: 'kind',
          title: t('tools.kind'),
          width: 100,
          render: (v: ToolKind) => <Tag color={KIND_COLORS[v]}>{t(`tools.kinds.${v}`)}</Tag>,
        },
        { key: 'qty', dataIndex: 'qtyAvailable', title: t('tools.qtyAvailable'), width: 90, align: 'right' },
        {
          key: 'family',
          dataIndex: 'setupFamily',
          title: t('tools.setupFamily'),
          width: 150,
          ellipsis: true,
        },
        {
          key: 'usage',
          title: t('tools.usage'),
          width: 200,
          render: (_, tool) =>
            tool.usageLimit ? (
              <Progress
                size="small"
                percent={Math.min(100, Math.round((tool.usageCount / tool.usageLimit) * 100))}
                status={tool.usageCount >= tool.usageLimit ? 'exception' : 'normal'}
                format={() => `${tool.usageCount} / ${tool.usageLimit}`}
              />
            ) : (
              <Typography.Text type="secondary">{tool.usageCount}</Typography.Text>
            ),
        },
        {
          key: 'machines',
          title: t('tools.machineCodes'),
          width: 160,
          render: (_, tool) => <span className="takt-mono">{tool.machineCodes.join(', ') || '—'}</span>,
        },
      ],
      filters: [
        {
          key: 'kind',
          label: t('tools.kind'),
          options: TOOL_KINDS.map((k) => ({ value: k, label: t(`tools.kinds.${k}`) })),
        },
      ],
      fields: [
        ...codeAndName(t),
        {
          name: 'kind',
          label: t('tools.kind'),
          kind: 'select',
          required: true,
          span: 8,
          options: TOOL_KINDS.map((k) => ({ value: k, label: t(`tools.kinds.${k}`) })),
        },
        { name: 'qtyAvailable', label: t('tools.qtyAvailable'), kind: 'int', max: 1_000_000, span: 8 },
        {
          name: 'usageLimit',
          label: t('tools.usageLimit'),
          kind: 'int',
          min: 1,
          span: 8,
          help: t('tools.usageLimitHelp'),
        },
        { name: 'setupFamily', label: t('tools.setupFamily'), max: 60, help: t('tools.setupFamilyHelp') },
        {
          name: 'itemIds',
          label: t('tools.items'),
          control: (
            <RefSelect api={itemsApi as unknown as RefApi} mode="multiple" aria-label={t('tools.items')} />
          ),
        },
        {
          name: 'machineCodes',
          label: t('tools.machineCodes'),
          kind: 'tags',
          help: t('tools.machineCodesHelp'),
        },
        activeField(t),
      ],
      toForm: (x) => ({
        code: x?.code ?? '',
        name: x?.name ?? '',
        kind: x?.kind ?? 'tool',
        qtyAvailable: x?.qtyAvailable ?? null,
        setupFamily: x?.setupFamily ?? '',
        usageLimit: x?.usageLimit ?? null,
        itemIds: x?.itemIds ?? [],
        machineCodes: x?.machineCodes ?? [],
        active: x?.active ?? true,
      }),
      toBody: (v, editing) => ({
        code: trimmed(v.code),
        name: trimmed(v.name),
        kind: v.kind,
        ...(v.qtyAvailable != null ? { qtyAvailable: v.qtyAvailable } : {}),
        setupFamily: trimmed(v.setupFamily),
        usageLimit: v.usageLimit ?? null,
        itemIds: v.itemIds ?? [],
        machineCodes: (v.machineCodes ?? []).map((c) => c.trim().toUpperCase()).filter(Boolean),
        ...(editing ? { active: v.active } : {}),
      }),
    }),
    [t],
  );
  return <EntityListPage config={config} />;
}
