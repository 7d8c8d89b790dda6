import type { FormInstance } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, asApiError } from '../api/client.ts';
import { applyFieldErrors } from '../components/formErrors.ts';

export interface FormSubmitOptions {
  /**
   * The form's top-level field names, or a test for them: the server's errors on these fields are put on
   * the fields, the others are listed in `other`. Without it every error goes to `other`.
   */
  readonly fields?: ReadonlySet<string> | ((name: string) => boolean);
  /** Server field → form field where the form names it differently (`scrapBp` → `scrapPct`). */
  readonly rename?: Record<string, string>;
  /** Reshapes the refusal before its field errors are placed; `error` keeps the refusal as it came. */
  readonly reshape?: (error: ApiError) => ApiError;
}

export interface FormSubmit {
  /** A submission is under way: for the button's spinner and to keep the dialog from closing. */
  readonly saving: boolean;
  /** The server's refusal of the last submission, for the alert above the form. */
  readonly error: ApiError | null;
  /** The refusal's errors that belong to no field on the form, as texts for the alert. */
  readonly other: string[];
  /**
   * Runs one submission: clears the last refusal, calls `work` (the API call, then whatever follows a
   * success: the message, closing, refreshing) and, if it throws, keeps the refusal and puts its field
   * errors on the form.
   */
  run(work: () => Promise<void>): Promise<void>;
  /** Forgets the last refusal, e.g. when the dialog opens again. */
  clear(): void;
  setError(error: ApiError | null): void;
  setOther(other: string[]): void;
}

/** The submit cycle of an Ant Design form that saves through the API. */
export function useFormSubmit(form: FormInstance, options: FormSubmitOptions = {}): FormSubmit {
  const { t } = useTranslation();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [other, setOther] = useState<string[]>([]);

  const clear = useCallback(() => {
    setError(null);
    setOther([]);
  }, []);

  const run = async (work: () => Promise<void>) => {
    clear();
    setSaving(true);
    try {
      await work();
    } catch (e) {
      const apiError = asApiError(e);
      setError(apiError);
      const { fields, rename, reshape } = options;
      const isField =
        fields === undefined
          ? () => false
          : typeof fields === 'function'
            ? fields
            : (name: string) => fields.has(name);
      setOther(applyFieldErrors(t, form, reshape ? reshape(apiError) : apiError, isField, rename));
    } finally {
      setSaving(false);
    }
  };

  return { saving, error, other, run, clear, setError, setOther };
}
