import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.js';

const HEALTH_TIMEOUT_MS = 1500;

/** GET /health: liveness, the model's state and whether auth-server answers. */
export async function healthRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const healthUrl = `${ctx.config.authUrl}/api/health`;

  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Service health',
        response: {
          200: Type.Object({
            status: Type.Literal('ok'),
            model: Type.Object({ loaded: Type.Boolean(), name: Type.String() }),
            authServer: Type.Union([Type.Literal('ok'), Type.Literal('unreachable')]),
          }),
        },
      },
    },
    async () => {
      let authServer: 'ok' | 'unreachable' = 'unreachable';
      try {
        const res = await fetch(healthUrl, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
        if (res.ok) authServer = 'ok';
        await res.body?.cancel();
      } catch {
        // unreachable
      }
      return {
        status: 'ok' as const,
        model: { loaded: ctx.detector.loaded, name: ctx.detector.model },
        authServer,
      };
    },
  );
}
