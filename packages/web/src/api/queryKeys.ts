import type { LogFilters } from './types.js';

/**
 * Query keys. Everything that belongs to the signed-in user lives under `['user', …]`, so that
 * signing out (or a lost session) drops all of it at once; the service status does not.
 */
export const queryKeys = {
  user: ['user'] as const,
  logs: ['user', 'logs'] as const,
  logPage: (filters: LogFilters) => ['user', 'logs', filters] as const,
  stats: ['user', 'stats'] as const,
  sessions: ['user', 'sessions'] as const,
  models: ['user', 'models'] as const,
  image: (url: string) => ['user', 'image', url] as const,
  verification: (token: string) => ['verification', token] as const,
  health: ['health'] as const,
};
