import { Center, Loader } from '@mantine/core';
import { Navigate } from 'react-router';
import { useSession } from '../session/SessionContext.js';
import { LandingPage } from './Landing.js';

/** "/" sends signed-in users to Detect and shows everyone else the landing page. */
export function HomePage() {
  const { state } = useSession();
  if (state.status === 'loading') {
    return (
      <Center h="60vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (state.status === 'signedIn') return <Navigate to="/detect" replace />;
  return <LandingPage />;
}
