import { Button, Flex, type FormInstance } from 'antd';

/** Cancel and submit at the foot of a form drawer; cancel waits and submit spins while the form saves. */
export function FormDrawerFooter({
  form,
  saving,
  onCancel,
  cancelText,
  submitText,
}: {
  form: FormInstance;
  saving: boolean;
  onCancel(): void;
  cancelText: string;
  submitText: string;
}) {
  return (
    <Flex justify="flex-end" gap={8}>
      <Button onClick={onCancel} disabled={saving}>
        {cancelText}
      </Button>
      <Button type="primary" loading={saving} onClick={() => form.submit()}>
        {submitText}
      </Button>
    </Flex>
  );
}
