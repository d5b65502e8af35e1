/** The confirmation's error when it differs from the new password, undefined when they match. */
export function confirmationError(password: string, confirm: string): string | undefined {
  return password === confirm ? undefined : 'The passwords do not match.';
}
