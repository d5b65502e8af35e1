/** /api/users/me*: the signed-in user's profile, password and sessions. */
import {
  ChangePasswordBody,
  SessionsResponse,
  UpdateUserBody,
  UserResponse,
} from '@emotion-app/auth-client/contract';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { notFound } from '../errors.js';
import { recordAuthEvent } from '../events/auth-events.js';
import { authenticate } from '../http/authenticate.js';
import { bearerSecurity, errorResponses, NoContent } from '../http/schemas.js';
import { listLiveSessions, revokeSession } from '../sessions/repository.js';
import { toUser } from '../users/repository.js';
import { changePassword } from '../passwords/service.js';
import { renameUser, requireUser } from '../users/profile.js';

const tags = ['users'];
const security = bearerSecurity;

export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;

  app.get(
    '/me',
    { schema: { tags, security, response: { 200: UserResponse, ...errorResponses } } },
    async (request) => {
      const auth = await authenticate(ctx, request);
      return { user: toUser(await requireUser(ctx, auth.userId)) };
    },
  );

  app.patch(
    '/me',
    { schema: { tags, security, body: UpdateUserBody, response: { 200: UserResponse, ...errorResponses } } },
    async (request) => {
      const auth = await authenticate(ctx, request);
      return { user: toUser(await renameUser(ctx, auth.userId, request.body.name)) };
    },
  );

  app.post(
    '/me/password',
    { schema: { tags, security, body: ChangePasswordBody, response: { 204: NoContent, ...errorResponses } } },
    async (request, reply) => {
      const auth = await authenticate(ctx, request);
      await changePassword(ctx, auth, request.body, request.client);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/me/sessions',
    { schema: { tags, security, response: { 200: SessionsResponse, ...errorResponses } } },
    async (request) => {
      const auth = await authenticate(ctx, request);
      const rows = await listLiveSessions(ctx.db, auth.userId);
      return {
        sessions: rows.map((s) => ({
          id: s.id,
          createdAt: new Date(s.created_at).toISOString(),
          lastUsedAt: new Date(s.last_used_at).toISOString(),
          userAgent: s.user_agent,
          ip: s.ip,
          current: s.id === auth.sessionId,
        })),
      };
    },
  );

  app.delete(
    '/me/sessions/:id',
    {
      schema: {
        tags,
        security,
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 204: NoContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      const auth = await authenticate(ctx, request);
      const { id } = request.params;
      const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
      if (!isUuid || !(await revokeSession(ctx.db, auth.userId, id, 'revoked_by_user'))) {
        throw notFound('No such session.');
      }
      await recordAuthEvent(ctx.db, ctx.log, {
        type: 'session_revoked',
        userId: auth.userId,
        ...request.client,
        detail: { sessionId: id, by: auth.sessionId },
      });
      return reply.code(204).send(null);
    },
  );
};
