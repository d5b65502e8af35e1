import { Alert, Badge, Button, Card, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useState } from 'react';
import { listSessions, logout, revokeSession } from '../api/auth.js';
import { errorMessage } from '../api/problem.js';
import type { SessionInfo } from '../api/types.js';
import { formatDateTime } from './emotions.js';
import { describeUserAgent } from './userAgent.js';

/** The user's signed-in devices, each with its own "Sign out", and "Sign out everywhere else". */
export function SessionsCard() {
  const [sessions, setSessions] = useState<SessionInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setSessions(await listSessions());
      setError(null);
    } catch (cause) {
      setError(errorMessage(cause));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const revoke = async (session: SessionInfo) => {
    setBusy(session.id);
    try {
      await revokeSession(session.id);
      notifications.show({ color: 'green', message: `Signed out ${describeUserAgent(session.userAgent)}.` });
      await load();
    } catch (cause) {
      notifications.show({
        color: 'red',
        title: 'Could not sign that device out',
        message: errorMessage(cause),
      });
    } finally {
      setBusy(null);
    }
  };

  const revokeOthers = async () => {
    setBusy('others');
    try {
      await logout('others');
      notifications.show({ color: 'green', message: 'Every other device was signed out.' });
      await load();
    } catch (cause) {
      notifications.show({
        color: 'red',
        title: 'Could not sign out the other devices',
        message: errorMessage(cause),
      });
    } finally {
      setBusy(null);
    }
  };

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
          onClick={() => void revokeOthers()}
          loading={busy === 'others'}
          disabled={others.length === 0}
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
                    <Badge size="xs" color="green" variant="light">
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
                  onClick={() => void revoke(session)}
                  loading={busy === session.id}
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
