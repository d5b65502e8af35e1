import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link, Navigate, useLocation, useSearchParams } from 'react-router';
import { login } from '../api/auth.js';
import { ApiError } from '../api/problem.js';
import { AuthLayout } from '../components/AuthLayout.js';
import { FormAlert } from '../components/FormAlert.js';
import { ServiceFieldset } from '../components/ServiceStatus.js';
import { useApiForm } from '../hooks/useApiForm.js';
import { useSession } from '../session/SessionContext.js';
import { safeNext } from '../session/redirect.js';

export function SignInPage() {
  const { state, signedIn } = useSession();
  const [params] = useSearchParams();
  const location = useLocation();
  const next = safeNext(params.get('next'));
  const arrival = location.state as { expired?: boolean; email?: string } | null;
  // Verify-email prefills the address it just confirmed (router state: it stays out of the URL).
  const { form, general, busy, handleSubmit } = useApiForm({
    initialValues: { email: typeof arrival?.email === 'string' ? arrival.email : '', password: '' },
  });
  const [unverified, setUnverified] = useState(false);
  const expired = arrival?.expired === true;

  if (state.status === 'signedIn') return <Navigate to={next} replace />;

  const onSubmit = handleSubmit(
    async (values) => {
      setUnverified(false);
      const result = await login({ email: values.email.trim(), password: values.password });
      signedIn(result.user);
    },
    (error) => setUnverified(error instanceof ApiError && error.code === 'email_not_verified'),
  );

  return (
    <AuthLayout title="Sign in" subtitle="Welcome back. Sign in to detect emotions in your photos.">
      <form onSubmit={onSubmit} noValidate>
        <ServiceFieldset needs="accounts">
          <Stack gap="sm">
            {expired && !general && (
              <Alert color="blue" role="status">
                Your session has ended. Please sign in again.
              </Alert>
            )}
            <FormAlert message={general}>
              {unverified && (
                <>
                  {' '}
                  <Anchor
                    component={Link}
                    to={`/check-email?email=${encodeURIComponent(form.values.email.trim())}`}
                  >
                    Send the link again
                  </Anchor>
                </>
              )}
            </FormAlert>
            <TextInput
              label="Email"
              name="email"
              type="email"
              autoComplete="email"
              required
              {...form.getInputProps('email')}
            />
            <PasswordInput
              label="Password"
              name="password"
              autoComplete="current-password"
              required
              {...form.getInputProps('password')}
            />
            <Group justify="flex-end">
              <Anchor component={Link} to="/forgot-password" size="sm">
                Forgot password?
              </Anchor>
            </Group>
            <Button type="submit" loading={busy} fullWidth>
              Sign in
            </Button>
            <Text size="sm" ta="center">
              New here?{' '}
              <Anchor component={Link} to="/sign-up">
                Create an account
              </Anchor>
            </Text>
          </Stack>
        </ServiceFieldset>
      </form>
    </AuthLayout>
  );
}
