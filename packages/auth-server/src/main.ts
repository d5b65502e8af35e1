/** Starts auth-server: config from the environment, listen on HOST:PORT, stop on SIGTERM/SIGINT. */
import { runService } from '@emotion-app/service-kit';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

await runService('auth-server', () => loadConfig(), buildApp, {
  banner: (address, config) =>
    `auth-server: ${address}  docs: ${address}/docs${config.smtpUrl ? '' : `  dev mailbox: ${address}/api/dev/outbox`}`,
});
