import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useDeleteLog } from '../../api/mutations.js';
import { errorMessage } from '../../api/problem.js';
import type { LogItem } from '../../api/types.js';

/** The detection awaiting confirmation and what Delete and Cancel do with it. */
export function useDeleteDetection() {
  const [pending, setPending] = useState<LogItem | null>(null);
  const mutation = useDeleteLog();

  const confirm = () => {
    if (!pending) return;
    mutation.mutate(pending.id, {
      onSuccess: () => {
        notifications.show({ color: 'green', message: 'Detection deleted.' });
        setPending(null);
      },
      onError: (cause) =>
        notifications.show({ color: 'red', title: 'Could not delete', message: errorMessage(cause) }),
    });
  };

  return {
    pending,
    ask: (item: LogItem) => setPending(item),
    cancel: () => setPending(null),
    confirm,
    deleting: mutation.isPending,
  };
}
