import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link, Navigate, useLocation, useSearchParams } from 'react-router';
import { login } from '../api/auth.js';
import { ApiError } from '../api/problem.js';
import { AuthLayout } from '../components/AuthLayout.js';
import { splitError } from '../components/formErrors.js';
import { FormAlert } from '../components/FormAlert.js';
import { useSubmit } from '../components/useSubmit.js';
import { useSession } from '../session/SessionContext.js';
import { safeNext } from '../session/redirect.js';

const FIELDS = ['email', 'password'] as const;

export function SignInPage() {
  const { state, signedIn } = useSession();
  const [params] = useSearchParams();
  const location = useLocation();
  const next = safeNext(params.get('next'));
  const arrival = location.state as { expired?: boolean; email?: string } | null;
  // Verify-email prefills the address it just confirmed (router state: it stays out of the URL).
  const [email, setEmail] = useState(typeof arrival?.email === 'string' ? arrival.email : '');
  const [password, setPassword] = useState('');
  const { errors, busy, submit } = useSubmit();
  const [unverified, setUnverified] = useState(false);
  const expired = arrival?.expired === true;

  if (state.status === 'signedIn') return <Navigate to={next} replace />;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setUnverified(false);
    await submit(
      async () => {
        const result = await login({ email: email.trim(), password });
        signedIn(result.user);
      },
      (error) => {
        setUnverified(error instanceof ApiError && error.code === 'email_not_verified');
        return splitError(error, FIELDS);
      },
    );
  };

  return (
    <AuthLayout title="Sign in" subtitle="Welcome back. Sign in to detect emotions in your photos.">
      <form onSubmit={(event) => void onSubmit(event)} noValidate>
        <Stack gap="sm">
          {expired && !errors.general && (
            <Alert color="blue" role="status">
              Your session has ended. Please sign in again.
            </Alert>
          )}
          <FormAlert message={errors.general}>
            {unverified && (
              <>
                {' '}
                <Anchor component={Link} to={`/check-email?email=${encodeURIComponent(email.trim())}`}>
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
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={errors.fields.email}
          />
          <PasswordInput
            label="Password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            error={errors.fields.password}
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
      </form>
    </AuthLayout>
  );
}
