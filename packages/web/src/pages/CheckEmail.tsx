import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { resendVerification } from '../api/auth.js';
import { AuthLayout } from '../components/AuthLayout.js';
import { splitError } from '../components/formErrors.js';
import { FormAlert } from '../components/FormAlert.js';
import { useSubmit } from '../components/useSubmit.js';

export function CheckEmailPage() {
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const { errors, busy, submit } = useSubmit();
  const [sent, setSent] = useState(false);
  const knownEmail = params.get('email');

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSent(false);
    await submit(
      async () => {
        await resendVerification(email.trim());
        setSent(true);
      },
      (error) => splitError(error, ['email']),
    );
  };

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
        <form onSubmit={(event) => void onSubmit(event)} noValidate>
          <Stack gap="sm">
            {sent && (
              <Alert color="green" role="status">
                If that address is waiting for confirmation, a new link is on its way.
              </Alert>
            )}
            <FormAlert message={errors.general} />
            <TextInput
              label="Email"
              type="email"
              autoComplete="email"
              required
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
              error={errors.fields.email}
            />
            <Button type="submit" variant="light" loading={busy}>
              Resend email
            </Button>
          </Stack>
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
