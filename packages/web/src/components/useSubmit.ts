import { useState } from 'react';
import type { SplitErrors } from './formErrors.js';

export const NO_ERRORS: SplitErrors = { fields: {}, general: null };

/**
 * A form's submit state: `submit` clears the errors, marks the form busy, runs the action and puts
 * a failure on the form through `toErrors` (usually `splitError`).
 */
export function useSubmit(initial: SplitErrors = NO_ERRORS) {
  const [errors, setErrors] = useState<SplitErrors>(initial);
  const [busy, setBusy] = useState(false);

  async function submit(action: () => Promise<void>, toErrors: (error: unknown) => SplitErrors) {
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await action();
    } catch (error) {
      setErrors(toErrors(error));
    } finally {
      setBusy(false);
    }
  }

  return { errors, setErrors, busy, submit };
}
