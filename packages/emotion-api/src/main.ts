/** Starts emotion-api: config from the environment, listen on HOST:PORT, stop on SIGTERM/SIGINT. */
import { runService } from '@emotion-app/service-kit';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

await runService(
  'emotion-api',
  () => loadConfig(),
  (config) => buildApp(config),
  {
    banner: (address) => {
      const shown = address.replace('://127.0.0.1', '://localhost');
      return `emotion-api listening on ${shown} (docs: ${shown}/docs)`;
    },
  },
);
