import { Group, Progress, Stack, Text } from '@mantine/core';
import { EMOTIONS, type Probabilities } from '../api/types.js';
import { EMOTION_COLOR, emotionLabel, percent } from '../lib/emotions.js';

/** One bar per emotion (all seven, in a fixed order), so results are easy to compare. */
export function ProbabilityBars({ probabilities }: { probabilities: Probabilities }) {
  return (
    <Stack gap={6} aria-label="Probabilities">
      {EMOTIONS.map((emotion) => {
        const value = probabilities[emotion] ?? 0;
        return (
          <Group key={emotion} gap="sm" wrap="nowrap" data-testid={`probability-${emotion}`}>
            <Text size="sm" w={72} style={{ flexShrink: 0 }}>
              {emotionLabel(emotion)}
            </Text>
            <Progress
              value={value * 100}
              color={EMOTION_COLOR[emotion]}
              size="lg"
              radius="sm"
              style={{ flex: 1 }}
              aria-label={`${emotionLabel(emotion)} probability`}
            />
            <Text size="sm" w={52} ta="right" style={{ flexShrink: 0, fontVariantNumeric: 'tabular-nums' }}>
              {percent(value)}
            </Text>
          </Group>
        );
      })}
    </Stack>
  );
}
