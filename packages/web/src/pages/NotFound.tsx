import { Button, Container, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <Container size="xs" py="xl">
      <Stack align="center" gap="sm">
        <Title order={1}>Page not found</Title>
        <Text c="dimmed" ta="center">
          There is nothing at this address.
        </Text>
        <Button component={Link} to="/">
          Go to the start page
        </Button>
      </Stack>
    </Container>
  );
}
