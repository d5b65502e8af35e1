import { type FormValidateInput, type UseFormReturnType, useForm } from '@mantine/form';
import { type FormEvent, useState } from 'react';
import { splitError } from '../api/formErrors.js';

export interface ApiFormOptions<Values extends Record<string, unknown>> {
  initialValues: Values;
  /** Checks made in the page before anything is sent (e.g. the password confirmation). */
  validate?: FormValidateInput<Values>;
  /** Where a failed request's errors go: `errors[]` of problem+json onto these fields. */
  errors?: {
    /** A problem code placed on a field (weak_password → password). */
    codeFields?: Record<string, string>;
    /** A server field name shown on another input (password → newPassword). */
    aliases?: Record<string, string>;
  };
  /** A form-wide message shown from the start (e.g. a link without a token). */
  initialGeneral?: string | null;
}

export interface ApiForm<Values extends Record<string, unknown>> {
  form: UseFormReturnType<Values>;
  /** The form-wide error: one that concerns no single field. */
  general: string | null;
  /** true while the action runs. */
  busy: boolean;
  /**
   * The `<form onSubmit>` handler: validates, clears the previous errors and runs `action`;
   * a failure is placed on the form (field errors under their inputs, the rest in `general`).
   * `onError` sees the failure too (e.g. to offer "Send the link again").
   */
  handleSubmit(
    action: (values: Values) => Promise<void>,
    onError?: (error: unknown) => void,
  ): (event?: FormEvent<HTMLFormElement>) => void;
}

/**
 * A `@mantine/form` form that talks to the API: the same field messages as the server sends
 * (`errors[]` of problem+json), plus a form-wide message for the rest.
 */
export function useApiForm<Values extends Record<string, unknown>>(
  options: ApiFormOptions<Values>,
): ApiForm<Values> {
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: options.initialValues,
    validate: options.validate,
  });
  const [general, setGeneral] = useState<string | null>(options.initialGeneral ?? null);
  const fields = Object.keys(options.initialValues);

  const handleSubmit: ApiForm<Values>['handleSubmit'] = (action, onError) =>
    form.onSubmit(
      async (values) => {
        setGeneral(null);
        form.clearErrors();
        try {
          await action(values);
        } catch (error) {
          const split = splitError(error, fields, options.errors?.codeFields, options.errors?.aliases);
          form.setErrors(split.fields);
          setGeneral(split.general);
          onError?.(error);
        }
      },
      () => setGeneral(null),
    );

  return { form, general, busy: form.submitting, handleSubmit };
}
