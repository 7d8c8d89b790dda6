import type { Customer, Supplier } from '@takt/contracts';
import { Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import {
  customersApi,
  itemsApi,
  type ResourceApi,
  suppliersApi,
  type Versioned,
} from '../../api/masterdata.ts';
import {
  cleanCustomFields,
  customFieldsField,
  filledCustomFields,
} from '../../components/customFields/CustomFields.tsx';
import { EntityListPage } from '../../components/entity/EntityListPage.tsx';
import { ListField } from '../../components/entity/ListField.tsx';
import type { EntityConfig } from '../../components/entity/types.ts';
import { RefSelect } from '../../components/RefSelect.tsx';
import {
  activeField,
  type ContactRow,
  cleanContacts,
  codeAndName,
  contactsField,
  trimmed,
} from './common.tsx';

const TIERS = ['A', 'B', 'C'] as const;
const TIER_COLORS = { A: 'gold', B: 'blue', C: 'default' } as const;
const MONEY = /^\d{1,13}(\.\d{1,2})?$/;
const QTY = /^\d{1,12}(\.\d{1,3})?$/;

type RefApi = ResourceApi<Versioned & { code: string; name: string }>;

function firstContact(contacts: { name: string; phone?: string }[]) {
  const c = contacts[0];
  if (!c) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <span className="takt-nowrap">
      {c.name}
      {c.phone ? <Typography.Text type="secondary"> · {c.phone}</Typography.Text> : null}
    </span>
  );
}

interface CustomerForm {
  code: string;
  name: string;
  tier: 'A' | 'B' | 'C';
  address: string;
  contacts: ContactRow[];
  customFields: Record<string, unknown>;
  active: boolean;
}

export function CustomersPage() {
  const { t } = useTranslation();
  const config = useMemo<EntityConfig<Customer, CustomerForm>>(
    () => ({
      api: customersApi,
      topic: 'customer',
      sheet: 'customers',
      customFields: 'customers',
      codeRule: 'customers',
      texts: {
        title: t('customers.title'),
        subtitle: t('customers.subtitle'),
        create: t('customers.new'),
        edit: (code) => t('customers.edit', { code }),
        noun: t('customers.noun'),
      },
      columnsWidth: 90 + 220 + 280,
      columns: [
        {
          key: 'tier',
          dataIndex: 'tier',
          title: t('customers.tier'),
          width: 90,
          render: (v: Customer['tier']) => <Tag color={TIER_COLORS[v]}>{v}</Tag>,
        },
        {
          key: 'contact',
          title: t('md.fields.contacts'),
          width: 220,
          render: (_, c) => firstContact(c.contacts),
        },
        { key: 'address', dataIndex: 'address', title: t('md.fields.address'), width: 280, ellipsis: true },
      ],
      filters: [
        { key: 'tier', label: t('customers.tier'), options: TIERS.map((v) => ({ value: v, label: v })) },
      ],
      fields: [
        ...codeAndName(t),
        {
          name: 'tier',
          label: t('customers.tier'),
          kind: 'select',
          required: true,
          help: t('customers.tierHelp'),
          options: TIERS.map((v) => ({ value: v, label: v })),
          span: 10,
        },
        { name: 'address', label: t('md.fields.address'), kind: 'textarea', max: 300 },
        contactsField(t),
        customFieldsField('customers'),
        activeField(t),
      ],
      toForm: (c) => ({
        code: c?.code ?? '',
        name: c?.name ?? '',
        tier: c?.tier ?? 'B',
        address: c?.address ?? '',
        contacts: c?.contacts.map((x) => ({ ...x })) ?? [],
        customFields: { ...(c?.customFields ?? {}) },
        active: c?.active ?? true,
      }),
      toBody: (v, editing) => ({
        code: trimmed(v.code),
        name: trimmed(v.name),
        tier: v.tier,
        address: trimmed(v.address),
        contacts: cleanContacts(v.contacts),
        customFields: editing ? cleanCustomFields(v.customFields) : filledCustomFields(v.customFields),
        ...(editing ? { active: v.active } : {}),
      }),
    }),
    [t],
  );
  return <EntityListPage config={config} />;
}

interface SupplierItemRow {
  itemId: string | null;
  supplierPartNo: string;
  price: string;
  currency: string;
  leadDays: number | null;
  moq: string;
}
interface SupplierForm {
  code: string;
  name: string;
  leadDays: number | null;
  address: string;
  contacts: ContactRow[];
  items: SupplierItemRow[];
  customFields: Record<string, unknown>;
  active: boolean;
}

export function SuppliersPage() {
  const { t } = useTranslation();
  const config = useMemo<EntityConfig<Supplier, SupplierForm>>(
    () => ({
      api: suppliersApi,
      topic: 'supplier',
      sheet: 'suppliers',
      customFields: 'suppliers',
      codeRule: 'suppliers',
      drawerWidth: 760,
      texts: {
        title: t('suppliers.title'),
        subtitle: t('suppliers.subtitle'),
        create: t('suppliers.new'),
        edit: (code) => t('suppliers.edit', { code }),
        noun: t('suppliers.noun'),
      },
      columnsWidth: 110 + 110 + 220 + 260,
      columns: [
        {
          key: 'leadDays',
          dataIndex: 'leadDays',
          title: t('suppliers.leadDays'),
          width: 110,
          align: 'right',
          render: (v: number) => <span className="takt-num">{t('suppliers.days', { n: v })}</span>,
        },
        {
          key: 'items',
          title: t('suppliers.items'),
          width: 110,
          align: 'right',
          render: (_, s) => <span className="takt-num">{s.items.length}</span>,
        },
        {
          key: 'contact',
          title: t('md.fields.contacts'),
          width: 220,
          render: (_, s) => firstContact(s.contacts),
        },
        { key: 'address', dataIndex: 'address', title: t('md.fields.address'), width: 260, ellipsis: true },
      ],
      fields: [
        ...codeAndName(t),
        { name: 'leadDays', label: t('suppliers.leadDays'), kind: 'int', max: 3650, span: 10 },
        { name: 'address', label: t('md.fields.address'), kind: 'textarea', max: 300 },
        contactsField(t),
        {
          name: 'items',
          label: t('suppliers.items'),
          render: () => (
            <ListField
              name="items"
              label={t('suppliers.items')}
              addLabel={t('suppliers.addItem')}
              max={500}
              newRow={() => ({
                itemId: null,
                supplierPartNo: '',
                price: '',
                currency: 'CNY',
                leadDays: null,
                moq: '',
              })}
              fields={[
                {
                  name: 'itemId',
                  label: t('suppliers.item'),
                  required: true,
                  width: 220,
                  control: (
                    <RefSelect api={itemsApi as unknown as RefApi} placeholder={t('suppliers.item')} />
                  ),
                },
                { name: 'supplierPartNo', label: t('suppliers.partNo'), max: 60, width: 110 },
                {
                  name: 'price',
                  label: t('suppliers.price'),
                  required: true,
                  width: 90,
                  pattern: MONEY,
                  patternMessage: t('items.form.moneyPattern'),
                },
                { name: 'currency', label: t('suppliers.currency'), max: 3, width: 64 },
                { name: 'leadDays', label: t('suppliers.leadDays'), kind: 'int', max: 3650, width: 80 },
                {
                  name: 'moq',
                  label: t('suppliers.moq'),
                  width: 80,
                  pattern: QTY,
                  patternMessage: t('items.form.qtyPattern'),
                },
              ]}
            />
          ),
        },
        customFieldsField('suppliers'),
        activeField(t),
      ],
      toForm: (s) => ({
        code: s?.code ?? '',
        name: s?.name ?? '',
        leadDays: s?.leadDays ?? null,
        address: s?.address ?? '',
        contacts: s?.contacts.map((x) => ({ ...x })) ?? [],
        items:
          s?.items.map((i) => ({
            itemId: i.itemId,
            supplierPartNo: i.supplierPartNo,
            price: i.price,
            currency: i.currency,
            leadDays: i.leadDays,
            moq: i.moq,
          })) ?? [],
        customFields: { ...(s?.customFields ?? {}) },
        active: s?.active ?? true,
      }),
      toBody: (v, editing) => ({
        code: trimmed(v.code),
        name: trimmed(v.name),
        ...(v.leadDays != null ? { leadDays: v.leadDays } : {}),
        address: trimmed(v.address),
        contacts: cleanContacts(v.contacts),
        items: (v.items ?? []).map((i) => ({
          itemId: i.itemId ?? '',
          price: trimmed(i.price),
          ...(trimmed(i.supplierPartNo) ? { supplierPartNo: trimmed(i.supplierPartNo) } : {}),
          ...(trimmed(i.currency) ? { currency: trimmed(i.currency).toUpperCase() } : {}),
          ...(i.leadDays != null ? { leadDays: i.leadDays } : {}),
          ...(trimmed(i.moq) ? { moq: trimmed(i.moq) } : {}),
        })),
        customFields: editing ? cleanCustomFields(v.customFields) : filledCustomFields(v.customFields),
        ...(editing ? { active: v.active } : {}),
      }),
    }),
    [t],
  );
  return <EntityListPage config={config} />;
}
