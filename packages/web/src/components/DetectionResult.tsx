import { Badge, Card, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { Detection } from '../api/types.js';
import { EMOTION_COLOR, emotionLabel, percent } from '../lib/emotions.js';
import { FaceOverlay } from './FaceOverlay.js';
import { ProbabilityBars } from './ProbabilityBars.js';

interface DetectionResultProps {
  detection: Detection;
  imageSrc: string | null;
  /** The answering model's display name (default: the `model` of the answer as is). */
  modelLabel?: string;
}

/** The photo with its face boxes, the top emotion, the seven probabilities and the model used. */
export function DetectionResult({ detection, imageSrc, modelLabel }: DetectionResultProps) {
  const faces = detection.faces ?? [];
  return (
    <Card withBorder radius="md" padding="md" data-testid="detection-result">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <div>
            <Text size="sm" c="dimmed">
              Top emotion
            </Text>
            <Title order={2} data-testid="top-emotion">
              {emotionLabel(detection.emotion)}
            </Title>
          </div>
          <Group gap="xs">
            <Badge size="lg" color={EMOTION_COLOR[detection.emotion] ?? 'blue'} variant="filled">
              {percent(detection.confidence)} confident
            </Badge>
            <Badge size="lg" color="gray" variant="light">
              {faces.length === 1 ? '1 face' : `${faces.length} faces`}
            </Badge>
          </Group>
        </Group>
        <div style={{ textAlign: 'center' }}>
          {imageSrc ? (
            <FaceOverlay src={imageSrc} faces={faces} alt="Your photo with the detected faces marked" />
          ) : (
            <Skeleton h={240} radius="md" />
          )}
        </div>
        <ProbabilityBars probabilities={detection.probabilities} />
        {detection.model && (
          <Text size="xs" c="dimmed" data-testid="detection-model">
            Model: {modelLabel ?? detection.model}
          </Text>
        )}
      </Stack>
    </Card>
  );
}
