import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/client.ts';
import { problemText } from './ProblemAlert.tsx';

/**
 * The alert above a dialog's form when the server refused its submission: what went wrong, then the
 * errors that name no field on the form (`other`, from `useFormSubmit`).
 */
export function SubmitErrorAlert({
  error,
  other = [],
}: {
  error: ApiError | null;
  other?: readonly string[];
}) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      title={problemText(t, error)}
      description={other.length ? other.join('; ') : undefined}
    />
  );
}
