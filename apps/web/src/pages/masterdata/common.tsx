import type { Contact } from '@takt/contracts';
import type { TFunction } from 'i18next';
import { ListField } from '../../components/entity/ListField.tsx';
import type { FieldDef } from '../../components/entity/types.ts';

/** The fields every coded master-data record starts with: code and name. */
export function codeAndName(t: TFunction, codeMax = 40): FieldDef[] {
  return [
    {
      name: 'code',
      label: t('md.fields.code'),
      code: true,
      createOnly: true,
      required: true,
      max: codeMax,
      span: 10,
    },
    { name: 'name', label: t('md.fields.name'), required: true, max: 200, span: 14 },
  ];
}

export function activeField(t: TFunction): FieldDef {
  return {
    name: 'active',
    label: t('md.fields.active'),
    kind: 'switch',
    editOnly: true,
    help: t('md.fields.activeHelp'),
  };
}

export interface ContactRow {
  name: string;
  phone?: string;
  email?: string;
}

export function contactsField(t: TFunction): FieldDef {
  return {
    name: 'contacts',
    label: t('md.fields.contacts'),
    render: () => (
      <ListField
        name="contacts"
        label={t('md.fields.contacts')}
        addLabel={t('md.fields.addContact')}
        newRow={() => ({ name: '', phone: '', email: '' })}
        max={20}
        fields={[
          { name: 'name', label: t('md.fields.contactName'), required: true, max: 100, width: 120 },
          { name: 'phone', label: t('md.fields.contactPhone'), max: 40, width: 130 },
          { name: 'email', label: t('md.fields.contactEmail'), max: 200, width: 170 },
        ]}
      />
    ),
  };
}

/** Empty optional strings are left out, as the server wants them absent rather than blank. */
export function cleanContacts(rows: ContactRow[] | undefined): Contact[] {
  return (rows ?? []).map((c) => ({
    name: (c.name ?? '').trim(),
    ...(c.phone?.trim() ? { phone: c.phone.trim() } : {}),
    ...(c.email?.trim() ? { email: c.email.trim() } : {}),
  }));
}

export function trimmed(value: string | undefined | null): string {
  return (value ?? '').trim();
}
