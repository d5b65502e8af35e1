import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Alert, Anchor, Card, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { errorMessage } from '../api/problem.js';
import { useStats } from '../api/queries.js';
import { EMOTIONS, type Emotion, type Stats } from '../api/types.js';
import { fillDays } from '../lib/days.js';
import { EMOTION_COLOR, emotionLabel } from '../lib/emotions.js';

function topEmotion(stats: Stats): Emotion | null {
  let best: Emotion | null = null;
  for (const emotion of EMOTIONS) {
    const count = stats.byEmotion[emotion] ?? 0;
    if (count > 0 && (best === null || count > (stats.byEmotion[best] ?? 0))) best = emotion;
  }
  return best;
}

export function StatsPage() {
  const query = useStats();
  const stats = query.data ?? null;
  const error = query.error ? errorMessage(query.error) : null;

  const byEmotion = EMOTIONS.map((emotion) => ({
    emotion: emotionLabel(emotion),
    color: `${EMOTION_COLOR[emotion]}.6`,
    Detections: stats?.byEmotion[emotion] ?? 0,
  }));
  const byDay = fillDays(stats?.byDay ?? []).map((day) => ({
    date: day.date.slice(5),
    fullDate: day.date,
    Detections: day.count,
  }));
  const top = stats ? topEmotion(stats) : null;

  return (
    <Stack gap="md">
      <div>
        <Title order={1} size="h2">
          Stats
        </Title>
        <Text c="dimmed" size="sm">
          What your detections add up to.
        </Text>
      </div>
      {error && (
        <Alert color="red" role="alert" title="Could not load your stats">
          {error}
        </Alert>
      )}
      {!stats && !error && <Skeleton h={300} radius="md" />}
      {stats && (
        <>
          <SimpleGrid cols={{ base: 1, xs: 2 }}>
            <Card withBorder radius="md">
              <Text size="sm" c="dimmed">
                Detections
              </Text>
              <Text size="xl" fw={700} data-testid="stats-total">
                {stats.total}
              </Text>
            </Card>
            <Card withBorder radius="md">
              <Text size="sm" c="dimmed">
                Most frequent emotion
              </Text>
              <Text size="xl" fw={700}>
                {top ? emotionLabel(top) : '–'}
              </Text>
            </Card>
          </SimpleGrid>
          {stats.total === 0 ? (
            <Card withBorder radius="md" padding="xl">
              <Text ta="center" c="dimmed">
                No detections yet.{' '}
                <Anchor component={Link} to="/detect">
                  Detect an emotion
                </Anchor>{' '}
                and your charts will appear here.
              </Text>
            </Card>
          ) : (
            <SimpleGrid cols={{ base: 1, lg: 2 }}>
              <Card withBorder radius="md">
                <Title order={2} size="h4" mb="md">
                  Detections by emotion
                </Title>
                <BarChart
                  h={280}
                  data={byEmotion}
                  dataKey="emotion"
                  orientation="vertical"
                  series={[{ name: 'Detections', color: 'blue.6' }]}
                  barProps={{ radius: 4 }}
                  gridAxis="y"
                  tickLine="x"
                  xAxisProps={{ allowDecimals: false }}
                  yAxisProps={{ width: 70 }}
                  role="img"
                  aria-label={`Detections by emotion: ${EMOTIONS.map(
                    (emotion) => `${emotionLabel(emotion)} ${stats.byEmotion[emotion] ?? 0}`,
                  ).join(', ')}`}
                />
              </Card>
              <Card withBorder radius="md">
                <Title order={2} size="h4" mb="md">
                  Detections per day
                </Title>
                <BarChart
                  h={280}
                  data={byDay}
                  dataKey="date"
                  series={[{ name: 'Detections', color: 'indigo.6' }]}
                  barProps={{ radius: 3 }}
                  tickLine="y"
                  yAxisProps={{ allowDecimals: false }}
                  role="img"
                  aria-label={`Detections per day, ${byDay[0]?.fullDate ?? ''} to ${byDay[byDay.length - 1]?.fullDate ?? ''}`}
                />
              </Card>
            </SimpleGrid>
          )}
        </>
      )}
    </Stack>
  );
}
