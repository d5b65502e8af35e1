/**
 * Whether the Redis-backed suites run, decided once per file the same way everywhere:
 * - REDIS_URL unset: not registered, with a loud warning;
 * - REDIS_URL set but unreachable: not registered, with a warning, locally; with CI=true the
 *   suites ARE registered and fail (a missing Redis must never look like a pass in CI).
 */
import { Redis } from 'ioredis';

async function reachable(redisUrl: string): Promise<boolean> {
  const probe = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** The REDIS_URL to run Redis suites against, or undefined (after a warning) when they are not run. */
export async function redisUrlForTests(what: string): Promise<string | undefined> {
  const url = process.env.REDIS_URL;
  if (!url) {
    console.warn(
      `\n*** WARNING: REDIS_URL is not set, so the ${what} tests are NOT RUN. ` +
        'Run them with REDIS_URL=redis://127.0.0.1:6379 ***\n',
    );
    return undefined;
  }
  if (process.env.CI !== 'true' && !(await reachable(url))) {
    console.warn(
      `\n*** WARNING: Redis at ${url} is unreachable, so the ${what} tests are NOT RUN (CI=true fails instead) ***\n`,
    );
    return undefined;
  }
  return url;
}
