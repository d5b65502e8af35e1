import { Alert, Anchor, Center, Group, Loader, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router';
import { type SignInResult, verifyEmail } from '../api/auth.js';
import { errorMessage } from '../api/problem.js';
import { AuthLayout } from '../components/AuthLayout.js';
import { useSession } from '../session/SessionContext.js';

/** One POST per token, even if React mounts the page twice: the token works only once. */
const attempts = new Map<string, Promise<SignInResult>>();

function verifyOnce(token: string): Promise<SignInResult> {
  let attempt = attempts.get(token);
  if (!attempt) {
    attempt = verifyEmail(token);
    attempts.set(token, attempt);
  }
  return attempt;
}

export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { signedIn } = useSession();
  const [error, setError] = useState<string | null>(
    token ? null : 'This link has no token. Open the link from the email again.',
  );
  const [done, setDone] = useState(false);

  useEffect(() => {
    if (!token) return;
    let active = true;
    verifyOnce(token)
      .then((result) => {
        if (!active) return;
        signedIn(result.user);
        notifications.show({
          color: 'green',
          title: 'Email confirmed',
          message: `Welcome, ${result.user.name || result.user.email}! Upload a photo to detect an emotion.`,
        });
        setDone(true);
      })
      .catch((cause: unknown) => {
        if (active) setError(errorMessage(cause));
      });
    return () => {
      active = false;
    };
  }, [token, signedIn]);

  if (done) return <Navigate to="/detect" replace state={{ welcome: true }} />;

  return (
    <AuthLayout title="Verify email">
      {error ? (
        <Stack gap="sm">
          <Alert color="red" role="alert" title="We could not confirm your email">
            {error}
          </Alert>
          <Group justify="space-between">
            <Anchor component={Link} to="/check-email">
              Send a new link
            </Anchor>
            <Anchor component={Link} to="/sign-in">
              Sign in
            </Anchor>
          </Group>
        </Stack>
      ) : (
        <Center py="lg">
          <Stack align="center" gap="sm">
            <Loader aria-label="Confirming" />
            <Text>Confirming your email address…</Text>
          </Stack>
        </Center>
      )}
    </AuthLayout>
  );
}
