/**
 * The `/auth/*` proxy to auth-server (DESIGN §4): cookies for browsers, JSON for everyone. The
 * routes come from protocol's endpoint table; those that pass a call through are generated, the
 * sign-in routes and GET /auth/me are written out.
 */
import { authEndpoints, isProblemError } from '@emotion-app/protocol';
import { MeResponse } from '@emotion-app/protocol/emotion';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteOptions } from '../context.js';
import { ProblemResponses, secured } from '../http/schemas.js';
import { accessTokenOf, forwardClient, proxyPath } from './auth-proxy.forward.js';
import { registerPassThroughRoutes } from './auth-proxy.pass-through.js';
import { registerSessionRoutes } from './auth-proxy.session.js';

export const authProxyRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { ctx }) => {
  const { auth, cookies } = ctx;
  registerSessionRoutes(app, ctx);
  registerPassThroughRoutes(app, ctx);

  app.get(
    proxyPath(authEndpoints.getUser),
    {
      preHandler: ctx.requireAuth,
      schema: {
        tags: ['auth'],
        ...secured,
        summary: 'The signed-in user (from auth-server; from the verified token when it is unreachable)',
        response: { 200: MeResponse, ...ProblemResponses },
      },
    },
    async (request) => {
      try {
        return { user: await auth.getUser(accessTokenOf(request, cookies), forwardClient(request)) };
      } catch (err) {
        if (!isProblemError(err) || err.code !== 'auth_unavailable') throw err;
        const { id, email, role } = request.user;
        return { user: { id, email, role } };
      }
    },
  );
};
