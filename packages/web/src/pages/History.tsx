import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Input,
  Modal,
  Pagination,
  RangeSlider,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { deleteLog, imageUrlOf, listLogs } from '../api/detections.js';
import { errorMessage } from '../api/problem.js';
import { EMOTIONS, type Emotion, type LogItem, type LogPage } from '../api/types.js';
import { AuthImage } from '../components/AuthImage.js';
import { EMOTION_COLOR, emotionLabel, formatDateTime, percent } from '../components/emotions.js';

const PAGE_SIZE = 12;

interface Filters {
  emotion: Emotion | null;
  confidence: [number, number];
  from: string;
  to: string;
}

const NO_FILTERS: Filters = { emotion: null, confidence: [0, 100], from: '', to: '' };

/** Local calendar days to the instants the API compares with. */
function dayStart(day: string): string | undefined {
  return day ? new Date(`${day}T00:00:00`).toISOString() : undefined;
}
function dayEnd(day: string): string | undefined {
  return day ? new Date(`${day}T23:59:59.999`).toISOString() : undefined;
}

function isFiltered(filters: Filters): boolean {
  return (
    filters.emotion !== null ||
    filters.confidence[0] > 0 ||
    filters.confidence[1] < 100 ||
    filters.from !== '' ||
    filters.to !== ''
  );
}

export function HistoryPage() {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [confidenceDraft, setConfidenceDraft] = useState<[number, number]>([0, 100]);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<LogPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [toDelete, setToDelete] = useState<LogItem | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [version, setVersion] = useState(0);

  const updateFilters = useCallback((change: Partial<Filters>) => {
    setFilters((previous) => ({ ...previous, ...change }));
    setPage(1);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` forces a reload after a delete
  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    listLogs(
      {
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
        emotion: filters.emotion ?? undefined,
        minConfidence: filters.confidence[0] > 0 ? filters.confidence[0] / 100 : undefined,
        maxConfidence: filters.confidence[1] < 100 ? filters.confidence[1] / 100 : undefined,
        from: dayStart(filters.from),
        to: dayEnd(filters.to),
      },
      controller.signal,
    )
      .then((result) => {
        setData(result);
        const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
        if (page > pages) setPage(pages);
      })
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) setError(errorMessage(cause));
      });
    return () => controller.abort();
  }, [filters, page, version]);

  const confirmDelete = async () => {
    if (!toDelete) return;
    setDeleting(true);
    try {
      await deleteLog(toDelete.id);
      notifications.show({ color: 'green', message: 'Detection deleted.' });
      setToDelete(null);
      setVersion((value) => value + 1);
    } catch (cause) {
      notifications.show({ color: 'red', title: 'Could not delete', message: errorMessage(cause) });
    } finally {
      setDeleting(false);
    }
  };

  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;

  return (
    <Stack gap="md">
      <div>
        <Title order={1} size="h2">
          History
        </Title>
        <Text c="dimmed" size="sm">
          Your detections, newest first.
        </Text>
      </div>

      <Card withBorder radius="md" padding="md">
        <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }} spacing="md" verticalSpacing="sm">
          <Select
            label="Emotion"
            placeholder="All emotions"
            clearable
            data={EMOTIONS.map((emotion) => ({ value: emotion, label: emotionLabel(emotion) }))}
            value={filters.emotion}
            onChange={(value) => updateFilters({ emotion: (value as Emotion | null) ?? null })}
          />
          <Input.Wrapper label="Confidence" id="confidence-range">
            <RangeSlider
              mt={8}
              mb="md"
              min={0}
              max={100}
              step={5}
              minRange={5}
              value={confidenceDraft}
              onChange={setConfidenceDraft}
              onChangeEnd={(value) => updateFilters({ confidence: value })}
              label={(value) => `${value}%`}
              marks={[
                { value: 0, label: '0%' },
                { value: 50, label: '50%' },
                { value: 100, label: '100%' },
              ]}
              thumbFromLabel="Minimum confidence"
              thumbToLabel="Maximum confidence"
            />
          </Input.Wrapper>
          <TextInput
            label="From"
            type="date"
            value={filters.from}
            max={filters.to || undefined}
            onChange={(event) => updateFilters({ from: event.currentTarget.value })}
          />
          <TextInput
            label="To"
            type="date"
            value={filters.to}
            min={filters.from || undefined}
            onChange={(event) => updateFilters({ to: event.currentTarget.value })}
          />
        </SimpleGrid>
        {isFiltered(filters) && (
          <Group justify="flex-end" mt="sm">
            <Button
              variant="subtle"
              size="xs"
              onClick={() => {
                setFilters(NO_FILTERS);
                setConfidenceDraft([0, 100]);
                setPage(1);
              }}
            >
              Clear filters
            </Button>
          </Group>
        )}
      </Card>

      {error && (
        <Alert color="red" role="alert" title="Could not load your history">
          {error}
        </Alert>
      )}

      {!data && !error && (
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3, xl: 4 }}>
          {[0, 1, 2].map((key) => (
            <Skeleton key={key} h={260} radius="md" />
          ))}
        </SimpleGrid>
      )}

      {data && data.items.length === 0 && (
        <Card withBorder radius="md" padding="xl">
          <Text ta="center" c="dimmed">
            {isFiltered(filters) ? (
              'No detections match these filters.'
            ) : (
              <>
                No detections yet.{' '}
                <Anchor component={Link} to="/detect">
                  Detect an emotion
                </Anchor>{' '}
                to start your history.
              </>
            )}
          </Text>
        </Card>
      )}

      {data && data.items.length > 0 && (
        <>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 3, xl: 4 }} data-testid="history-list">
            {data.items.map((item) => (
              <Card key={item.id} withBorder radius="md" padding="sm" data-testid="history-item">
                <Card.Section>
                  <AuthImage url={imageUrlOf(item)} alt={`Photo detected as ${item.emotion}`} height={180} />
                </Card.Section>
                <Group justify="space-between" mt="sm" wrap="nowrap">
                  <Badge color={EMOTION_COLOR[item.emotion] ?? 'blue'} variant="light" size="lg">
                    {emotionLabel(item.emotion)}
                  </Badge>
                  <Text size="sm" fw={600}>
                    {percent(item.confidence)}
                  </Text>
                </Group>
                <Group justify="space-between" mt="xs" wrap="nowrap">
                  <Text size="xs" c="dimmed">
                    {formatDateTime(item.createdAt)}
                  </Text>
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    onClick={() => setToDelete(item)}
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
            {pages > 1 && <Pagination total={pages} value={page} onChange={setPage} size="sm" />}
          </Group>
        </>
      )}

      <Modal
        opened={toDelete !== null}
        onClose={() => setToDelete(null)}
        title="Delete this detection?"
        centered
      >
        <Text size="sm">The photo and its result will be removed for good. This cannot be undone.</Text>
        <Group justify="flex-end" mt="lg">
          <Button variant="default" onClick={() => setToDelete(null)}>
            Cancel
          </Button>
          <Button color="red" onClick={() => void confirmDelete()} loading={deleting}>
            Delete
          </Button>
        </Group>
      </Modal>
    </Stack>
  );
}
