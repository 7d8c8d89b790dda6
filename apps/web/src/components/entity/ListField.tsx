import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, Flex, Form, Input, InputNumber, Select, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface SubField {
  name: string;
  label: string;
  kind?: 'text' | 'int' | 'select' | 'check' | 'date' | 'time';
  /** Flex basis in px; the row wraps on narrow screens. */
  width?: number;
  required?: boolean;
  max?: number;
  min?: number;
  options?: { value: string | number; label: string }[];
  placeholder?: string;
  pattern?: RegExp;
  patternMessage?: string;
  /** A control of its own (e.g. a record select). */
  control?: ReactNode;
}

/**
 * An editable list of small rows (contacts, skills, shifts…) inside a form. Each row's fields are named
 * `[list, index, field]`, so server errors like `/contacts/1/email` land on the right input.
 */
export function ListField({
  name,
  label,
  fields,
  addLabel,
  newRow,
  max = 50,
}: {
  name: string;
  label: string;
  fields: SubField[];
  addLabel: string;
  newRow: () => object;
  max?: number;
}) {
  const { t } = useTranslation();
  return (
    <Form.Item label={label} className="takt-list-field">
      <Form.List name={name}>
        {(rows, { add, remove }) => (
          <Flex vertical gap={4}>
            {rows.length === 0 ? (
              <Typography.Text type="secondary" className="takt-small">
                {t('common.none')}
              </Typography.Text>
            ) : null}
            {rows.map((row, index) => (
              <Flex key={row.key} gap={8} align="flex-start" wrap className="takt-list-row">
                {fields.map((f) => (
                  <Form.Item
                    key={f.name}
                    name={[row.name, f.name]}
                    // labels once, on the first row, keep the list compact
                    label={index === 0 ? f.label : undefined}
                    aria-label={f.label}
                    valuePropName={f.kind === 'check' ? 'checked' : 'value'}
                    style={{ flex: `1 1 ${f.width ?? 120}px`, minWidth: Math.min(f.width ?? 120, 90) }}
                    rules={[
                      ...(f.required ? [{ required: true, message: t('items.form.required') }] : []),
                      ...(f.pattern ? [{ pattern: f.pattern, message: f.patternMessage ?? '' }] : []),
                    ]}
                  >
                    {f.control ??
                      (f.kind === 'int' ? (
                        <InputNumber
                          className="takt-block"
                          precision={0}
                          min={f.min ?? 0}
                          max={f.max}
                          aria-label={f.label}
                        />
                      ) : f.kind === 'select' ? (
                        <Select options={f.options} aria-label={f.label} />
                      ) : f.kind === 'check' ? (
                        <Checkbox aria-label={f.label} />
                      ) : (
                        <Input
                          type={f.kind === 'date' ? 'date' : f.kind === 'time' ? 'time' : 'text'}
                          maxLength={f.max}
                          placeholder={f.placeholder}
                          aria-label={f.label}
                          autoComplete="off"
                        />
                      ))}
                  </Form.Item>
                ))}
                <Button
                  type="text"
                  icon={<DeleteOutlined />}
                  aria-label={t('md.removeRow')}
                  className={index === 0 ? 'takt-list-remove takt-list-remove-first' : 'takt-list-remove'}
                  onClick={() => remove(row.name)}
                />
              </Flex>
            ))}
            {rows.length < max ? (
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add(newRow())} block>
                {addLabel}
              </Button>
            ) : null}
          </Flex>
        )}
      </Form.List>
    </Form.Item>
  );
}
