/** The process shell of a service: config, listen, signals. Each service's `main.ts` is one call. */
import type { FastifyInstance } from 'fastify';
import { ConfigError } from './env/env-field.js';

/** A repeated signal this soon after the first is the same request to stop, not a second one. */
const REPEAT_GRACE_MS = 1000;

/** What `runService` needs of a config. */
export interface ListenConfig {
  host: string;
  port: number;
}

/** Options of {@link runService}. */
export interface RunServiceOptions<C> {
  /** The line printed once listening; default `<name> listening on <address>`. */
  banner?: (address: string, config: C) => string;
  /** Milliseconds a shutdown may take before the process exits 1 anyway; default 10 000. */
  forceExitMs?: number;
}

/**
 * Starts a service: loads its config (a {@link ConfigError} prints its message and exits 1),
 * builds the app, listens on HOST:PORT and prints the address; SIGTERM or SIGINT close the app
 * (new requests refused, in-flight requests finish, then the app's onClose hooks: pools, workers)
 * and exit 0, or 1 when closing fails or takes over `forceExitMs` (10 s); a second signal
 * (a second or more after the first) exits 1 at once.
 *
 * @example
 * ```ts
 * // main.ts
 * await runService('auth-server', () => loadConfig(), (config) => buildApp(config));
 * ```
 */
export async function runService<C extends ListenConfig>(
  name: string,
  loadConfig: () => C | Promise<C>,
  buildApp: (config: C) => Promise<FastifyInstance>,
  options: RunServiceOptions<C> = {},
): Promise<void> {
  try {
    const config = await loadConfig();
    const app = await buildApp(config);
    const deadlineMs = options.forceExitMs ?? 10_000;
    let closing = false;
    let closingSince = 0;
    const shutdown = (signal: NodeJS.Signals) => {
      if (closing) {
        // Ctrl-C under `npm start` reaches a service twice at once (terminal and supervisor).
        if (performance.now() - closingSince < REPEAT_GRACE_MS) return;
        app.log.warn({ signal }, 'second signal: exiting without waiting for requests to finish');
        process.exit(1);
      }
      closing = true;
      closingSince = performance.now();
      app.log.info({ signal }, 'shutting down: refusing new requests, finishing those in flight');
      setTimeout(() => {
        app.log.error({ signal, deadlineMs }, 'shutdown did not finish in time: exiting anyway');
        process.exit(1);
      }, deadlineMs).unref();
      // Node closes the connections idle when closing starts; a keep-alive connection whose
      // request was still in flight then would hold the server open until its client hangs up.
      setInterval(() => app.server.closeIdleConnections(), 100).unref();
      app.close().then(
        () => {
          app.log.info({ signal }, 'stopped');
          process.exit(0);
        },
        (err: unknown) => {
          app.log.error({ err }, 'error while shutting down');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', shutdown);
    process.on('SIGINT', shutdown);
    const address = await app.listen({ host: config.host, port: config.port });
    app.log.info(`${name} listening on ${address}`);
    console.log(options.banner ? options.banner(address, config) : `${name} listening on ${address}`);
  } catch (err) {
    if (err instanceof ConfigError) console.error(`${name}: ${err.message}`);
    else console.error(`${name} failed to start:`, err);
    process.exit(1);
  }
}
