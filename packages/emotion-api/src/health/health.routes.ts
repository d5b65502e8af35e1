/**
 * GET /health: liveness, the model's state, whether auth-server answers (cached ~2 s), the
 * revocation feed's state and whether the predictions database answers. 503 with the same body
 * (`status: "error"`, `db: "down"`) while the database is unreachable.
 */
import { ApiHealth } from '@emotion-app/protocol/emotion';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteOptions } from '../context.js';
import { cachedAuthProbe } from './auth-probe.js';

export const healthRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { ctx }) => {
  const { config, detector, revocations, store } = ctx;
  const authServer = cachedAuthProbe(`${config.authUrl}/api/health`);

  app.get(
    '/health',
    { schema: { tags: ['health'], summary: 'Service health', response: { 200: ApiHealth, 503: ApiHealth } } },
    async (request, reply) => {
      const [auth, db] = await Promise.all([
        authServer(),
        store.ping().then(
          () => 'ok' as const,
          (err: unknown) => {
            request.log.warn({ err }, 'health check: database unreachable');
            return 'down' as const;
          },
        ),
      ]);
      return reply.code(db === 'ok' ? 200 : 503).send({
        status: db === 'ok' ? ('ok' as const) : ('error' as const),
        model: { loaded: detector.loaded, name: detector.model },
        authServer: auth,
        revocations: revocations.status,
        db,
      });
    },
  );
};
