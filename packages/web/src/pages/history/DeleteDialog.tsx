import { Button, Group, Modal, Text } from '@mantine/core';

interface DeleteDialogProps {
  opened: boolean;
  deleting: boolean;
  /** While emotion-api is unreachable. */
  disabled?: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}

/** "Delete this detection?" with Cancel and Delete. */
export function DeleteDialog({ opened, deleting, disabled, onCancel, onConfirm }: DeleteDialogProps) {
  return (
    <Modal opened={opened} onClose={onCancel} title="Delete this detection?" centered>
      <Text size="sm">The photo and its result will be removed for good. This cannot be undone.</Text>
      <Group justify="flex-end" mt="lg">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        <Button color="red" onClick={onConfirm} loading={deleting} disabled={disabled}>
          Delete
        </Button>
      </Group>
    </Modal>
  );
}
