import {
  Alert,
  Badge,
  Box,
  Button,
  Fieldset,
  Group,
  type MantineSpacing,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import type { ReactNode } from 'react';
import { type ServiceStatus, useServiceStatus } from '../status/serviceStatus.js';

function describe(status: ServiceStatus): { label: string; color: string; detail: string } {
  if (status.api === 'checking') return { label: 'Checking', color: 'gray', detail: 'Checking the service…' };
  if (status.api === 'down') {
    return { label: 'Offline', color: 'red', detail: 'The emotion service is not answering.' };
  }
  const model = status.model ? `Model ${status.model.name}${status.model.loaded ? '' : ' (loading)'}.` : '';
  if (status.auth === 'down') {
    return { label: 'Sign-in down', color: 'orange', detail: `Sign-in is unavailable. ${model}`.trim() };
  }
  return { label: 'Online', color: 'green', detail: `All services are working. ${model}`.trim() };
}

/** A small badge with the services' state (green, orange or red dot), for headers. */
export function ServiceStatusIndicator() {
  const status = useServiceStatus();
  const { label, color, detail } = describe(status);
  return (
    <Badge
      variant="dot"
      color={color}
      size="lg"
      tt="none"
      title={detail}
      data-testid="service-status"
      data-state={status.api === 'down' ? 'offline' : status.auth === 'down' ? 'degraded' : status.api}
    >
      <VisuallyHidden>Service status: {label}</VisuallyHidden>
      {/* On phones only the dot shows; the words stay for screen readers. */}
      <Box component="span" aria-hidden visibleFrom="xs">
        {label}
      </Box>
    </Badge>
  );
}

/**
 * Says what does not work while a service is down: everything when emotion-api does not answer;
 * sign-in and sign-up when only auth-server is down (a signed-in user keeps detecting and
 * browsing, emotion-api verifies sessions itself). Nothing while all is well.
 */
export function ServiceBanner({ mb }: { mb?: MantineSpacing }) {
  const status = useServiceStatus();
  if (status.api === 'down') {
    return (
      <Alert mb={mb} color="red" role="alert" title="The service is unreachable" data-testid="service-banner">
        <Text size="sm">
          The emotion detector is not answering, so detection, history and sign-in are paused. This page
          checks again by itself.
        </Text>
        <Group mt="xs">
          <Button size="xs" variant="default" onClick={status.recheck}>
            Check now
          </Button>
        </Group>
      </Alert>
    );
  }
  if (status.auth === 'down') {
    return (
      <Alert
        mb={mb}
        color="orange"
        role="alert"
        title="Sign-in and sign-up are unavailable"
        data-testid="service-banner"
      >
        <Text size="sm">
          The account service is not answering: signing in, signing up and account changes are paused. If you
          are signed in, you can still detect emotions and browse your history.
        </Text>
      </Alert>
    );
  }
  return null;
}

/**
 * Wraps a form's inputs and buttons and disables them all (a native disabled fieldset) while the
 * services it `needs` are down, so the user is told up front instead of failing on submit.
 */
export function ServiceFieldset({ needs, children }: { needs: 'accounts' | 'api'; children: ReactNode }) {
  const status = useServiceStatus();
  const available = needs === 'accounts' ? status.canUseAccounts : status.canUseApi;
  return (
    <Fieldset variant="unstyled" disabled={!available} p={0} m={0} data-testid="service-fieldset">
      {children}
    </Fieldset>
  );
}
