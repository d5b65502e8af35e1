import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { resendVerification } from '../api/auth.js';
import { AuthLayout } from '../components/AuthLayout.js';
import { FormAlert } from '../components/FormAlert.js';
import { ServiceFieldset } from '../components/ServiceStatus.js';
import { useApiForm } from '../hooks/useApiForm.js';

export function CheckEmailPage() {
  const [params] = useSearchParams();
  const knownEmail = params.get('email');
  const { form, general, busy, handleSubmit } = useApiForm({ initialValues: { email: knownEmail ?? '' } });
  const [sent, setSent] = useState(false);

  const onSubmit = handleSubmit(async ({ email }) => {
    setSent(false);
    await resendVerification(email.trim());
    setSent(true);
  });

  return (
    <AuthLayout title="Check your mail">
      <Stack gap="sm">
        <Text>
          {knownEmail ? (
            <>
              We sent a confirmation link to <strong>{knownEmail}</strong>.
            </>
          ) : (
            'We sent you a confirmation link.'
          )}{' '}
          Open it to confirm your address; in the browser you signed up in, it also signs you in.
        </Text>
        <Text size="sm" c="dimmed">
          Nothing arrived after a few minutes? Check your spam folder, or send the link again.
        </Text>
        <form onSubmit={onSubmit} noValidate>
          <ServiceFieldset needs="accounts">
            <Stack gap="sm">
              {sent && (
                <Alert color="green" role="status">
                  If that address is waiting for confirmation, a new link is on its way.
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
              <Button type="submit" variant="light" loading={busy}>
                Resend email
              </Button>
            </Stack>
          </ServiceFieldset>
        </form>
        <Text size="sm" ta="center">
          Already confirmed?{' '}
          <Anchor component={Link} to="/sign-in">
            Sign in
          </Anchor>
        </Text>
      </Stack>
    </AuthLayout>
  );
}
