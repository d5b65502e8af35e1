import { Alert, Button, Center, Container, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useSession } from './SessionContext.js';

/** Shows its children to a signed-in user; sends everyone else to Sign in and back afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { state, reload } = useSession();
  const location = useLocation();
  if (state.status === 'loading') {
    return (
      <Center h="60vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (state.status === 'error') {
    return (
      <Container size="xs" py="xl">
        <Alert color="red" title="Cannot load your account">
          {state.message}
        </Alert>
        <Button mt="md" onClick={() => void reload()}>
          Try again
        </Button>
      </Container>
    );
  }
  if (state.status === 'signedOut') {
    // After "Sign out" the user starts over; otherwise come back here after signing in.
    if (state.reason === 'signedOut') return <Navigate to="/sign-in" replace />;
    const next = `${location.pathname}${location.search}`;
    return (
      <Navigate
        to={`/sign-in?next=${encodeURIComponent(next)}`}
        replace
        state={{ expired: state.reason === 'expired' }}
      />
    );
  }
  return children;
}
