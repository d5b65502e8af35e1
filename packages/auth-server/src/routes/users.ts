/** The /api/users/me* handlers: the signed-in user's profile, password and sessions. */
import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';
import { recordAuthEvent } from '../events/auth-events.js';
import { authenticate } from '../http/authenticate.js';
import type { AuthHandlers } from '../http/endpoints.js';
import { changePassword } from '../passwords/service.js';
import { listLiveSessions, revokeSession } from '../sessions/repository.js';
import { renameUser, requireUser } from '../users/profile.js';
import { toUser } from '../users/repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function userHandlers(
  ctx: AppContext,
): Pick<AuthHandlers, 'getUser' | 'updateUser' | 'changePassword' | 'listSessions' | 'revokeSession'> {
  return {
    async getUser(request) {
      const auth = await authenticate(ctx, request);
      return { user: toUser(await requireUser(ctx, auth.userId)) };
    },

    async updateUser(request) {
      const auth = await authenticate(ctx, request);
      return { user: toUser(await renameUser(ctx, auth.userId, request.body.name)) };
    },

    async changePassword(request) {
      const auth = await authenticate(ctx, request);
      await changePassword(ctx, auth, request.body, request.client);
      return null;
    },

    async listSessions(request) {
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

    async revokeSession(request) {
      const auth = await authenticate(ctx, request);
      const { id } = request.params;
      if (!UUID.test(id) || !(await revokeSession(ctx.db, auth.userId, id, 'revoked_by_user'))) {
        throw notFound('No such session.');
      }
      ctx.revocations.wake();
      await recordAuthEvent(ctx.db, ctx.log, {
        type: 'session_revoked',
        userId: auth.userId,
        ...request.client,
        detail: { sessionId: id, by: auth.sessionId },
      });
      return null;
    },
  };
}
