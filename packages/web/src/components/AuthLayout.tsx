import { Anchor, Container, Group, Paper, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ColorSchemeToggle } from './ColorSchemeToggle.js';
import { ServiceBanner, ServiceStatusIndicator } from './ServiceStatus.js';
import { SmileIcon } from './icons.js';

/** The frame of the signed-out pages: a brand line, the theme toggle and one card. */
export function AuthLayout({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Container size={460} px="md" py="xl">
      <Group justify="space-between" mb="lg" wrap="nowrap">
        <Anchor component={Link} to="/" underline="never" c="inherit">
          <Group gap={6} wrap="nowrap" c="indigo">
            <SmileIcon size={22} />
            <Text fw={700} size="lg" c="var(--mantine-color-text)">
              Emotion detector
            </Text>
          </Group>
        </Anchor>
        <Group gap="sm" wrap="nowrap">
          <ServiceStatusIndicator />
          <ColorSchemeToggle />
        </Group>
      </Group>
      <ServiceBanner mb="md" />
      <Paper withBorder shadow="sm" p={{ base: 'md', xs: 'xl' }} radius="md">
        <Title order={1} size="h2" mb={subtitle ? 4 : 'md'}>
          {title}
        </Title>
        {subtitle && (
          <Text c="dimmed" size="sm" mb="md">
            {subtitle}
          </Text>
        )}
        {children}
      </Paper>
    </Container>
  );
}
