import { AppShell, Burger, Button, Group, NavLink, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { NavLink as RouterNavLink, Outlet, useLocation } from 'react-router';
import { useSession } from '../session/SessionContext.js';
import { ColorSchemeToggle } from './ColorSchemeToggle.js';
import { ServiceBanner, ServiceStatusIndicator } from './ServiceStatus.js';
import { CameraIcon, ChartIcon, HistoryIcon, SmileIcon, UserIcon } from './icons.js';

const LINKS = [
  { to: '/detect', label: 'Detect', icon: <CameraIcon /> },
  { to: '/history', label: 'History', icon: <HistoryIcon /> },
  { to: '/statistics', label: 'Stats', icon: <ChartIcon /> },
  { to: '/account', label: 'Account', icon: <UserIcon /> },
];

/** The frame of the signed-in pages: header, navigation (a drawer on phones) and the page. */
export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const { user, signOut } = useSession();
  const location = useLocation();

  // RequireAuth then sends the page to Sign in.
  const onSignOut = () => signOut();

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Group gap={6} wrap="nowrap" c="indigo">
              <SmileIcon size={22} />
              <Text fw={700} size="lg" c="var(--mantine-color-text)">
                Emotion detector
              </Text>
            </Group>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <ServiceStatusIndicator />
            <ColorSchemeToggle />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main">
        <AppShell.Section grow>
          {LINKS.map((link) => (
            <NavLink
              key={link.to}
              component={RouterNavLink}
              to={link.to}
              label={link.label}
              leftSection={link.icon}
              active={location.pathname.startsWith(link.to)}
              onClick={close}
            />
          ))}
        </AppShell.Section>
        <AppShell.Section>
          <Stack gap="xs" pt="sm" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
            {user && (
              <Text size="sm" c="dimmed" truncate="end" title={user.email}>
                Signed in as {user.name || user.email}
              </Text>
            )}
            <Button variant="light" color="gray" onClick={() => void onSignOut()}>
              Sign out
            </Button>
          </Stack>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <ServiceBanner mb="md" />
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
