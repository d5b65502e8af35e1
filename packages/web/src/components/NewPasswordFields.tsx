import { PasswordInput } from '@mantine/core';

/** The confirmation's error when it differs from the new password, undefined when they match. */
export function confirmationError(password: string, confirm: string): string | undefined {
  return password === confirm ? undefined : 'The passwords do not match.';
}

interface NewPasswordFieldsProps {
  password: string;
  confirm: string;
  onPasswordChange: (value: string) => void;
  onConfirmChange: (value: string) => void;
  passwordError?: string | undefined;
  confirmError?: string | undefined;
  /** "Password" when signing up; the confirmation is labelled "Confirm <label>" after it. */
  label?: string;
  /** The inputs' `name`s, where the form has them. */
  names?: { password: string; confirm: string };
}

/** A new password with the policy hint, and its confirmation. */
export function NewPasswordFields({
  password,
  confirm,
  onPasswordChange,
  onConfirmChange,
  passwordError,
  confirmError,
  label = 'New password',
  names,
}: NewPasswordFieldsProps) {
  return (
    <>
      <PasswordInput
        label={label}
        name={names?.password}
        autoComplete="new-password"
        description="At least 8 characters. Avoid common passwords."
        required
        value={password}
        onChange={(event) => onPasswordChange(event.currentTarget.value)}
        error={passwordError}
      />
      <PasswordInput
        label={`Confirm ${label.toLowerCase()}`}
        name={names?.confirm}
        autoComplete="new-password"
        required
        value={confirm}
        onChange={(event) => onConfirmChange(event.currentTarget.value)}
        error={confirmError}
      />
    </>
  );
}
