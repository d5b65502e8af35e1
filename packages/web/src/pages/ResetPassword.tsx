import { Alert, Anchor, Button, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { resetPassword } from '../api/auth.js';
import { AuthLayout } from '../components/AuthLayout.js';
import { FormAlert } from '../components/FormAlert.js';
import { ServiceFieldset } from '../components/ServiceStatus.js';
import { NewPasswordFields } from '../components/NewPasswordFields.js';
import { useApiForm } from '../hooks/useApiForm.js';
import { useLinkToken } from '../hooks/useLinkToken.js';
import { confirmationError } from '../lib/passwords.js';

export function ResetPasswordPage() {
  const token = useLinkToken();
  const { form, general, busy, handleSubmit } = useApiForm({
    initialValues: { password: '', passwordConfirm: '' },
    validate: { passwordConfirm: (value, values) => confirmationError(values.password, value) ?? null },
    errors: { codeFields: { weak_password: 'password' } },
    initialGeneral: token ? null : 'This link has no token. Open the link from the email again.',
  });
  const [done, setDone] = useState(false);

  const onSubmit = handleSubmit(async ({ password }) => {
    await resetPassword(token, password);
    setDone(true);
  });

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
      <form onSubmit={onSubmit} noValidate>
        <ServiceFieldset needs="accounts">
          <Stack gap="sm">
            <FormAlert message={general}>
              {' '}
              <Anchor component={Link} to="/forgot-password">
                Request a new link
              </Anchor>
            </FormAlert>
            <NewPasswordFields
              password={form.getInputProps('password')}
              confirm={form.getInputProps('passwordConfirm')}
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
        </ServiceFieldset>
      </form>
    </AuthLayout>
  );
}
