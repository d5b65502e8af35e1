import { Alert, Badge, Button, Card, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useRevokeSession, useSignOutOthers } from '../api/mutations.js';
import { errorMessage } from '../api/problem.js';
import { useSessions } from '../api/queries.js';
import type { SessionInfo } from '../api/types.js';
import { formatDateTime } from '../lib/emotions.js';
import { describeUserAgent } from '../lib/userAgent.js';
import { useServiceStatus } from '../status/serviceStatus.js';

/** The user's signed-in devices, each with its own "Sign out", and "Sign out everywhere else". */
export function SessionsCard() {
  const { data: sessions, error: loadError } = useSessions();
  const revokeOne = useRevokeSession();
  const revokeAll = useSignOutOthers();
  const { canUseAccounts } = useServiceStatus();
  const error = loadError ? errorMessage(loadError) : null;
  const busy = revokeAll.isPending ? 'others' : revokeOne.isPending ? revokeOne.variables : null;

  const revoke = (session: SessionInfo) =>
    revokeOne.mutate(session.id, {
      onSuccess: () =>
        notifications.show({
          color: 'green',
          message: `Signed out ${describeUserAgent(session.userAgent)}.`,
        }),
      onError: (cause) =>
        notifications.show({
          color: 'red',
          title: 'Could not sign that device out',
          message: errorMessage(cause),
        }),
    });

  const revokeOthers = () =>
    revokeAll.mutate(undefined, {
      onSuccess: () => notifications.show({ color: 'green', message: 'Every other device was signed out.' }),
      onError: (cause) =>
        notifications.show({
          color: 'red',
          title: 'Could not sign out the other devices',
          message: errorMessage(cause),
        }),
    });

  const others = sessions?.filter((session) => !session.current) ?? [];

  return (
    <Card withBorder radius="md" padding="md">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={2} size="h4">
          Where you are signed in
        </Title>
        <Button
          variant="light"
          color="red"
          size="xs"
          onClick={revokeOthers}
          loading={busy === 'others'}
          disabled={others.length === 0 || !canUseAccounts}
        >
          Sign out everywhere else
        </Button>
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {!sessions && !error && <Skeleton h={80} />}
      {sessions && (
        <Stack gap="xs" data-testid="sessions">
          {sessions.map((session) => (
            <Group
              key={session.id}
              justify="space-between"
              wrap="nowrap"
              p="xs"
              style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 8 }}
              data-testid="session"
            >
              <div style={{ minWidth: 0 }}>
                <Group gap="xs" wrap="nowrap">
                  <Text fw={600} size="sm" truncate="end">
                    {describeUserAgent(session.userAgent)}
                  </Text>
                  {session.current && (
                    <Badge size="xs" color="green" variant="filled">
                      This device
                    </Badge>
                  )}
                </Group>
                <Text size="xs" c="dimmed">
                  {session.ip ? `${session.ip} · ` : ''}last active {formatDateTime(session.lastUsedAt)}
                </Text>
                <Text size="xs" c="dimmed">
                  signed in {formatDateTime(session.createdAt)}
                </Text>
              </div>
              {!session.current && (
                <Button
                  size="xs"
                  variant="default"
                  onClick={() => revoke(session)}
                  loading={busy === session.id}
                  disabled={!canUseAccounts}
                  aria-label={`Sign out ${describeUserAgent(session.userAgent)} signed in ${formatDateTime(session.createdAt)}`}
                >
                  Sign out
                </Button>
              )}
            </Group>
          ))}
        </Stack>
      )}
    </Card>
  );
}
