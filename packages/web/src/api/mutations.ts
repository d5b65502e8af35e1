import { useMutation, useQueryClient } from '@tanstack/react-query';
import { changePassword, logout, revokeSession, updateName } from './auth.js';
import { saveFile } from '../lib/download.js';
import { deleteLog, detect, exportLogs } from './detections.js';
import { queryKeys } from './queryKeys.js';
import type { ExportFormat, LogQuery } from './types.js';

/** `POST /detect` with the chosen model (null: emotion-api's default); History and Stats are reloaded afterwards. */
export function useDetect() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (photo: { blob: Blob; name: string; model: string | null }) =>
      detect(photo.blob, photo.name, photo.model),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: queryKeys.logs });
      void client.invalidateQueries({ queryKey: queryKeys.stats });
    },
  });
}

/** `DELETE /logs/:id`; History and Stats are reloaded afterwards. */
export function useDeleteLog() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteLog(id),
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.logs }),
        client.invalidateQueries({ queryKey: queryKeys.stats }),
      ]);
    },
  });
}

/** `PATCH /auth/me` with a new display name; answers the updated user. */
export function useRename() {
  return useMutation({ mutationFn: (name: string) => updateName(name) });
}

/** `POST /auth/password`; auth-server signs the user's other sessions out. */
export function useChangePassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      changePassword(body.currentPassword, body.newPassword),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.sessions }),
  });
}

/** Signs out one of the user's devices (`DELETE /auth/sessions/:id`). */
export function useRevokeSession() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => revokeSession(id),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.sessions }),
  });
}

/** Signs out every device but this one (`POST /auth/logout` with scope `others`). */
export function useSignOutOthers() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => logout('others'),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.sessions }),
  });
}

/** Downloads every detection matching `query` (`GET /logs/export`) and saves it as a file. */
export function useExportLogs() {
  return useMutation({
    mutationFn: async ({ query, format }: { query: LogQuery; format: ExportFormat }) => {
      const { blob, fileName } = await exportLogs(query, format);
      saveFile(blob, fileName);
      return fileName;
    },
  });
}
