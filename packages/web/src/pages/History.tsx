import { Alert, Anchor, Card, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../api/problem.js';
import { LOG_PAGE_SIZE, useLogs, useModels } from '../api/queries.js';
import { useServiceStatus } from '../status/serviceStatus.js';
import { DeleteDialog } from './history/DeleteDialog.js';
import { ExportButtons } from './history/ExportButtons.js';
import { HistoryFilterBar } from './history/HistoryFilterBar.js';
import { HistoryGrid } from './history/HistoryGrid.js';
import { type HistoryFilters, isFiltered, NO_FILTERS, toLogQuery } from './history/filters.js';
import { useDeleteDetection } from './history/useDeleteDetection.js';

export function HistoryPage() {
  const [filters, setFilters] = useState<HistoryFilters>(NO_FILTERS);
  const [page, setPage] = useState(1);
  const query = toLogQuery(filters);
  const { data, error } = useLogs(query, page);
  const { data: models } = useModels();
  const { canUseApi } = useServiceStatus();
  const deletion = useDeleteDetection();
  const pages = data ? Math.max(1, Math.ceil(data.total / LOG_PAGE_SIZE)) : 1;

  // After a delete emptied the last page, show the new last page.
  useEffect(() => {
    if (page > pages) setPage(pages);
  }, [page, pages]);

  const updateFilters = (change: Partial<HistoryFilters>) => {
    setFilters((previous) => ({ ...previous, ...change }));
    setPage(1);
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={1} size="h2">
            History
          </Title>
          <Text c="dimmed" size="sm">
            Your detections, newest first.
          </Text>
        </div>
        <ExportButtons query={query} disabled={!canUseApi || !data || data.total === 0} />
      </Group>

      <HistoryFilterBar
        filters={filters}
        models={models}
        onChange={updateFilters}
        onClear={() => {
          setFilters(NO_FILTERS);
          setPage(1);
        }}
      />

      {error && (
        <Alert color="red" role="alert" title="Could not load your history">
          {errorMessage(error)}
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
        <HistoryGrid
          data={data}
          models={models}
          page={page}
          pages={pages}
          onPage={setPage}
          onDelete={deletion.ask}
        />
      )}

      <DeleteDialog
        opened={deletion.pending !== null}
        deleting={deletion.deleting}
        disabled={!canUseApi}
        onCancel={deletion.cancel}
        onConfirm={deletion.confirm}
      />
    </Stack>
  );
}
