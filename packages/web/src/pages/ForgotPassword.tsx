import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { forgotPassword } from '../api/auth.js';
import { AuthLayout } from '../components/AuthLayout.js';
import { FormAlert } from '../components/FormAlert.js';
import { ServiceFieldset } from '../components/ServiceStatus.js';
import { useApiForm } from '../hooks/useApiForm.js';

export function ForgotPasswordPage() {
  const { form, general, busy, handleSubmit } = useApiForm({ initialValues: { email: '' } });
  const [sentTo, setSentTo] = useState<string | null>(null);

  const onSubmit = handleSubmit(async ({ email }) => {
    await forgotPassword(email.trim());
    setSentTo(email.trim());
  });

  return (
    <AuthLayout title="Forgot password" subtitle="We will email you a link to choose a new password.">
      <form onSubmit={onSubmit} noValidate>
        <ServiceFieldset needs="accounts">
          <Stack gap="sm">
            {sentTo && (
              <Alert color="green" role="status">
                If an account exists for <strong>{sentTo}</strong>, a reset link is on its way. It works for
                one hour.
              </Alert>
            )}
            <FormAlert message={general} />
            <TextInput
              label="Email"
              type="email"
              autoComplete="email"
              required
              {...form.getInputProps('email')}
            />
            <Button type="submit" loading={busy} fullWidth>
              Send reset link
            </Button>
            <Text size="sm" ta="center">
              Remembered it?{' '}
              <Anchor component={Link} to="/sign-in">
                Sign in
              </Anchor>
            </Text>
          </Stack>
        </ServiceFieldset>
      </form>
    </AuthLayout>
  );
}
