import { Alert, Anchor, Button, Stack, Text } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { resetPassword } from '../api/auth.js';
import { AuthLayout } from '../components/AuthLayout.js';
import { splitError } from '../components/formErrors.js';
import { FormAlert } from '../components/FormAlert.js';
import { confirmationError, NewPasswordFields } from '../components/NewPasswordFields.js';
import { useLinkToken } from '../components/useLinkToken.js';
import { useSubmit } from '../components/useSubmit.js';

const FIELDS = ['password', 'passwordConfirm'] as const;

export function ResetPasswordPage() {
  const token = useLinkToken();
  const [password, setPassword] = useState('');
  const [passwordConfirm, setPasswordConfirm] = useState('');
  const { errors, setErrors, busy, submit } = useSubmit({
    fields: {},
    general: token ? null : 'This link has no token. Open the link from the email again.',
  });
  const [done, setDone] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const mismatch = confirmationError(password, passwordConfirm);
    if (mismatch) {
      setErrors({ fields: { passwordConfirm: mismatch }, general: null });
      return;
    }
    await submit(
      async () => {
        await resetPassword(token, password);
        setDone(true);
      },
      (error) => splitError(error, FIELDS, { weak_password: 'password' }),
    );
  };

  if (done) {
    return (
      <AuthLayout title="Password changed">
        <Stack gap="sm">
          <Alert color="green" role="status">
            Your password was changed and every device was signed out.
          </Alert>
          <Button component={Link} to="/sign-in">
            Sign in
          </Button>
        </Stack>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title="Reset password" subtitle="Choose a new password for your account.">
      <form onSubmit={(event) => void onSubmit(event)} noValidate>
        <Stack gap="sm">
          <FormAlert message={errors.general}>
            {' '}
            <Anchor component={Link} to="/forgot-password">
              Request a new link
            </Anchor>
          </FormAlert>
          <NewPasswordFields
            password={password}
            confirm={passwordConfirm}
            onPasswordChange={setPassword}
            onConfirmChange={setPasswordConfirm}
            passwordError={errors.fields.password}
            confirmError={errors.fields.passwordConfirm}
          />
          <Button type="submit" loading={busy} fullWidth disabled={!token}>
            Reset password
          </Button>
          <Text size="sm" ta="center">
            <Anchor component={Link} to="/sign-in">
              Back to Sign in
            </Anchor>
          </Text>
        </Stack>
      </form>
    </AuthLayout>
  );
}
