import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { resendVerification } from '../api/auth.js';
import { AuthLayout } from '../components/AuthLayout.js';
import { type SplitErrors, splitError } from '../components/formErrors.js';

export function CheckEmailPage() {
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [errors, setErrors] = useState<SplitErrors>({ fields: {}, general: null });
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const knownEmail = params.get('email');

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setSent(false);
    setErrors({ fields: {}, general: null });
    try {
      await resendVerification(email.trim());
      setSent(true);
    } catch (error) {
      setErrors(splitError(error, ['email']));
    } finally {
      setBusy(false);
    }
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
          Open it to finish signing up; you will be signed in right away.
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
            {errors.general && (
              <Alert color="red" role="alert">
                {errors.general}
              </Alert>
            )}
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
