/** GET /models: the models POST /detect?model= can use, the default one marked. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ModelList } from '@emotion-app/protocol/emotion';
import type { RouteOptions } from '../context.js';
import { ProblemResponses, secured } from '../http/schemas.js';
import { MODELS } from './models.catalogue.js';

export const modelRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { ctx }) => {
  const list: ModelList = { models: MODELS.map((m) => ({ ...m })) };
  app.get(
    '/models',
    {
      preHandler: ctx.requireAuth,
      schema: {
        ...secured,
        tags: ['emotions'],
        summary: 'The models POST /detect?model= can use; exactly one is the default',
        response: { 200: ModelList, ...ProblemResponses },
      },
    },
    async () => list,
  );
};
