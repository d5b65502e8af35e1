import { Alert, Anchor, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef, useState } from 'react';
import { Link, Navigate } from 'react-router';
import { errorMessage } from '../api/problem.js';
import { useVerification } from '../api/queries.js';
import { AuthLayout } from '../components/AuthLayout.js';
import { useLinkToken } from '../hooks/useLinkToken.js';
import { useSession } from '../session/SessionContext.js';

/** `signedIn`: this browser registered and is now signed in; `confirmed`: it must sign in. */
type Outcome = { kind: 'signedIn' } | { kind: 'confirmed'; email: string };

export function VerifyEmailPage() {
  const token = useLinkToken();
  const { signedIn } = useSession();
  const verification = useVerification(token);
  const error = !token
    ? 'This link has no token. Open the link from the email again.'
    : verification.error
      ? errorMessage(verification.error)
      : null;
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const handled = useRef(false);
  const result = verification.data;

  useEffect(() => {
    if (!result || handled.current) return;
    handled.current = true;
    // Another browser than the one that signed up: the address is confirmed, nobody is signed in.
    if (result.signedIn === false) {
      setOutcome({ kind: 'confirmed', email: result.user.email });
      return;
    }
    signedIn(result.user);
    notifications.show({
      color: 'green',
      title: 'Email confirmed',
      message: `Welcome, ${result.user.name || result.user.email}! Upload a photo to detect an emotion.`,
    });
    setOutcome({ kind: 'signedIn' });
  }, [result, signedIn]);

  if (outcome?.kind === 'signedIn') return <Navigate to="/detect" replace state={{ welcome: true }} />;

  if (outcome?.kind === 'confirmed') {
    return (
      <AuthLayout title="Email confirmed">
        <Stack gap="sm">
          <Alert color="green" role="status">
            Your email address is confirmed. Sign in to continue.
          </Alert>
          <Text size="sm" c="dimmed">
            If more than one sign-up used this address, no password was kept: use the "Choose your password"
            link we just emailed you.
          </Text>
          <Button component={Link} to="/sign-in" state={{ email: outcome.email }}>
            Sign in
          </Button>
        </Stack>
      </AuthLayout>
    );
  }

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
