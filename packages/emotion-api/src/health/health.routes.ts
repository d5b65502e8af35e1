/** GET /health: liveness, the model's state, whether auth-server answers and the revocation feed's state. */
import { ApiHealth } from '@emotion-app/protocol/emotion';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteOptions } from '../context.js';

const HEALTH_TIMEOUT_MS = 1500;

/** Whether auth-server's own health route answers 2xx within HEALTH_TIMEOUT_MS. */
async function probe(url: string): Promise<'ok' | 'unreachable'> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    await res.body?.cancel().catch(() => {});
    return res.ok ? 'ok' : 'unreachable';
  } catch {
    return 'unreachable';
  }
}

export const healthRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { ctx }) => {
  const { config, detector, revocations } = ctx;
  const healthUrl = `${config.authUrl}/api/health`;

  app.get(
    '/health',
    { schema: { tags: ['health'], summary: 'Service health', response: { 200: ApiHealth } } },
    async () => ({
      status: 'ok' as const,
      model: { loaded: detector.loaded, name: detector.model },
      authServer: await probe(healthUrl),
      revocations: revocations.status,
    }),
  );
};
