/** Starts auth-server: config from the environment, listen on HOST:PORT, stop on SIGTERM/SIGINT. */
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`auth-server: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const app = await buildApp(config);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  const address = await app.listen({ host: config.host, port: config.port });
  app.log.info(`auth-server listening on ${address} (docs at ${address}/docs)`);
  console.log(
    `auth-server: ${address}  docs: ${address}/docs${config.smtpUrl ? '' : `  dev mailbox: ${address}/api/dev/outbox`}`,
  );
}

main().catch((err) => {
  console.error('auth-server failed to start:', err);
  process.exit(1);
});
