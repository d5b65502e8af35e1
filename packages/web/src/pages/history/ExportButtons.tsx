import { Button, Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useExportLogs } from '../../api/mutations.js';
import { errorMessage } from '../../api/problem.js';
import type { ExportFormat, LogQuery } from '../../api/types.js';

/** "Export CSV" and "Export JSON": every detection the current filters show, as a file. */
export function ExportButtons({ query, disabled }: { query: LogQuery; disabled: boolean }) {
  const exporter = useExportLogs();
  const running = exporter.isPending ? exporter.variables.format : null;
  const run = (format: ExportFormat) =>
    exporter.mutate(
      { query, format },
      {
        onError: (cause) =>
          notifications.show({ color: 'red', title: 'Could not export', message: errorMessage(cause) }),
      },
    );
  return (
    <Group gap="xs">
      {(['csv', 'json'] as const).map((format) => (
        <Button
          key={format}
          variant="default"
          size="sm"
          onClick={() => run(format)}
          loading={running === format}
          disabled={disabled || (running !== null && running !== format)}
        >
          Export {format.toUpperCase()}
        </Button>
      ))}
    </Group>
  );
}
