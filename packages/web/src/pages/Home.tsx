import { Center, Loader } from '@mantine/core';
import { Navigate } from 'react-router';
import { useSession } from '../session/SessionContext.js';

/** "/" sends signed-in users to Detect and everyone else to Sign in. */
export function HomePage() {
  const { state } = useSession();
  if (state.status === 'loading') {
    return (
      <Center h="60vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  return <Navigate to={state.status === 'signedIn' ? '/detect' : '/sign-in'} replace />;
}
