import { Alert, Button, Center, Container, Loader } from '@mantine/core';
import { Component, type ReactNode, Suspense } from 'react';

class ChunkBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <Container size="xs" py="xl">
        <Alert color="red" role="alert" title="This page could not be loaded">
          The service may be unreachable. Check your connection, then reload the page.
        </Alert>
        <Button mt="md" onClick={() => window.location.reload()}>
          Reload
        </Button>
      </Container>
    );
  }
}

/** A lazily loaded page: a spinner while its code arrives, a message if it cannot. */
export function PageLoader({ children }: { children: ReactNode }) {
  return (
    <ChunkBoundary>
      <Suspense
        fallback={
          <Center h="40vh">
            <Loader aria-label="Loading" />
          </Center>
        }
      >
        {children}
      </Suspense>
    </ChunkBoundary>
  );
}
