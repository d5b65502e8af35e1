import { Alert } from '@mantine/core';
import type { ReactNode } from 'react';

/** The form-wide error (one not about a single field), with optional follow-up content. */
export function FormAlert({ message, children }: { message: string | null; children?: ReactNode }) {
  if (!message) return null;
  return (
    <Alert color="red" role="alert">
      {message}
      {children}
    </Alert>
  );
}
