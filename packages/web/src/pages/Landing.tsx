import {
  Anchor,
  Badge,
  Button,
  Card,
  Container,
  Group,
  List,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { Link } from 'react-router';
import { ColorSchemeToggle } from '../components/ColorSchemeToggle.js';
import { FaceOverlay } from '../components/FaceOverlay.js';
import { ProbabilityBars } from '../components/ProbabilityBars.js';
import { ServiceBanner, ServiceStatusIndicator } from '../components/ServiceStatus.js';
import { SmileIcon } from '../components/icons.js';
import { EMOTION_COLOR, emotionLabel, percent } from '../lib/emotions.js';
import { SAMPLE_DETECTION, SAMPLE_IMAGE } from './landing/sample.js';

/**
 * `/` for a signed-out visitor: what the app does (a worked example, no account needed), how the
 * data is kept, and the way in. Kept light: no chart library, no camera code.
 */
export function LandingPage() {
  const sample = SAMPLE_DETECTION;
  return (
    <Container size="lg" px="md" py="md">
      <Group component="header" justify="space-between" wrap="nowrap" mb="xl">
        <Group gap={6} wrap="nowrap" c="indigo">
          <SmileIcon size={22} />
          <Text fw={700} size="lg" c="var(--mantine-color-text)">
            Emotion detector
          </Text>
        </Group>
        <Group gap="sm" wrap="nowrap">
          <ServiceStatusIndicator />
          <ColorSchemeToggle />
        </Group>
      </Group>
      <main>
        <ServiceBanner mb="lg" />
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl" verticalSpacing="xl">
          <Stack gap="md" justify="center">
            <Title order={1}>See which emotion a face shows</Title>
            <Text size="lg">
              Upload a photo or use your camera. The detector finds every face and tells you which of seven
              emotions it shows (angry, disgust, fear, happy, neutral, sad or surprise) and how sure it is.
            </Text>
            <Group gap="sm">
              <Button component={Link} to="/sign-up" size="md">
                Create an account
              </Button>
              <Button component={Link} to="/sign-in" size="md" variant="default">
                Sign in
              </Button>
            </Group>
            <Title order={2} size="h3" mt="md">
              Your data stays yours
            </Title>
            <List spacing={4} size="sm">
              <List.Item>Every detection is kept in your own history, which only you can see.</List.Item>
              <List.Item>Delete any detection, photo included, whenever you like.</List.Item>
              <List.Item>
                Filter your history, export it as CSV or JSON, and see your stats over time.
              </List.Item>
              <List.Item>Photos are stored re-encoded, without their location or camera details.</List.Item>
            </List>
          </Stack>
          <Card withBorder radius="md" padding="md" component="section" aria-labelledby="sample-title">
            <Stack gap="sm">
              <Group justify="space-between" align="flex-start" wrap="wrap">
                <div>
                  <Text size="sm" c="dimmed" id="sample-title">
                    An example result
                  </Text>
                  <Title order={2} size="h3">
                    {emotionLabel(sample.emotion)}
                  </Title>
                </div>
                <Badge size="lg" color={EMOTION_COLOR[sample.emotion]} variant="filled">
                  {percent(sample.confidence)} confident
                </Badge>
              </Group>
              <div style={{ textAlign: 'center' }}>
                <FaceOverlay
                  src={SAMPLE_IMAGE}
                  faces={sample.faces}
                  alt="A sample photo of a smiling person with the detected face marked"
                />
              </div>
              <ProbabilityBars probabilities={sample.probabilities} />
              <Text size="xs" c="dimmed">
                A fixed example: no photo is sent anywhere until you sign in and choose one.
              </Text>
            </Stack>
          </Card>
        </SimpleGrid>
        <Text size="sm" ta="center" mt="xl" c="dimmed">
          Already have an account?{' '}
          <Anchor component={Link} to="/sign-in">
            Sign in
          </Anchor>
        </Text>
      </main>
    </Container>
  );
}
