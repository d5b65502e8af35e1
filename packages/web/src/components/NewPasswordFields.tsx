import { PasswordInput, type PasswordInputProps } from '@mantine/core';

interface NewPasswordFieldsProps {
  /** The new password's input props (from `form.getInputProps`). */
  password: PasswordInputProps;
  /** The confirmation's input props. */
  confirm: PasswordInputProps;
  /** "Password" when signing up; the confirmation is labelled "Confirm <label>" after it. */
  label?: string;
  /** The inputs' `name`s, where the form has them. */
  names?: { password: string; confirm: string };
}

/** A new password with the policy hint, and its confirmation. */
export function NewPasswordFields({
  password,
  confirm,
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
        {...password}
      />
      <PasswordInput
        label={`Confirm ${label.toLowerCase()}`}
        name={names?.confirm}
        autoComplete="new-password"
        required
        {...confirm}
      />
    </>
  );
}
