import { Badge, Button, Card, Group, Pagination, SimpleGrid, Text } from '@mantine/core';
import { imageUrlOf } from '../../api/detections.js';
import type { LogItem, LogPage, ModelInfo } from '../../api/types.js';
import { AuthImage } from '../../components/AuthImage.js';
import { EMOTION_COLOR, emotionLabel, formatDateTime, percent } from '../../lib/emotions.js';
import { modelName } from '../../lib/models.js';

interface HistoryGridProps {
  data: LogPage;
  /** The model catalogue, for the models' names (else the stored ids are shown). */
  models: readonly ModelInfo[] | undefined;
  page: number;
  pages: number;
  onPage: (page: number) => void;
  onDelete: (item: LogItem) => void;
}

/** One card per detection (photo, emotion, confidence, model, time, Delete), then the pager. */
export function HistoryGrid({ data, models, page, pages, onPage, onDelete }: HistoryGridProps) {
  return (
    <>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3, xl: 4 }} data-testid="history-list">
        {data.items.map((item) => (
          <Card key={item.id} withBorder radius="md" padding="sm" data-testid="history-item">
            <Card.Section>
              <AuthImage url={imageUrlOf(item)} alt={`Photo detected as ${item.emotion}`} height={180} />
            </Card.Section>
            <Group justify="space-between" mt="sm" wrap="nowrap">
              <Badge color={EMOTION_COLOR[item.emotion] ?? 'blue'} variant="filled" size="lg">
                {emotionLabel(item.emotion)}
              </Badge>
              <Text size="sm" fw={600}>
                {percent(item.confidence)}
              </Text>
            </Group>
            <Text size="xs" c="dimmed" mt={4} truncate="end" data-testid="history-model">
              Model: {modelName(item.model, models)}
            </Text>
            <Group justify="space-between" mt="xs" wrap="nowrap">
              <Text size="xs" c="dimmed">
                {formatDateTime(item.createdAt)}
              </Text>
              <Button
                size="xs"
                variant="subtle"
                color="red"
                onClick={() => onDelete(item)}
                aria-label={`Delete detection from ${formatDateTime(item.createdAt)}`}
              >
                Delete
              </Button>
            </Group>
          </Card>
        ))}
      </SimpleGrid>
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed">
          Showing {data.offset + 1}–{data.offset + data.items.length} of {data.total}
        </Text>
        {pages > 1 && <Pagination total={pages} value={page} onChange={onPage} size="sm" />}
      </Group>
    </>
  );
}
