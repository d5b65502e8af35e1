/** GET /api/health and the development outbox. */
import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import type { AuthHandlers } from '../http/endpoints.js';
import { listOutbox, mailFields, outboxKey } from '../mail/outbox.js';
import { normalizeEmail } from '../users/email.js';

export function systemHandlers(ctx: AppContext): Pick<AuthHandlers, 'health' | 'devOutbox'> {
  return {
    /**
     * 200 `{ status: "ok", db: "ok" }`, or 503 with `db: "down"`; with REDIS_URL also `redis:
     * "ok" | "down"` (Redis down is no 503: rate limiting goes on from memory).
     */
    async health(request, reply) {
      const redis = ctx.throttle.redisState();
      const extra = redis ? { redis } : {};
      try {
        await sql`SELECT 1`.execute(ctx.db);
        return { status: 'ok', db: 'ok', ...extra };
      } catch (err) {
        request.log.warn(
          { error: err instanceof Error ? err.message : String(err) },
          'health: database down',
        );
        return reply.code(503).send({ status: 'error', db: 'down', ...extra });
      }
    },

    /**
     * Registered only outside production and without SMTP (otherwise the route does not exist:
     * 404). The development transport delivers nothing, so bodies stay (sealed) in the outbox and
     * are opened here; an erased or unreadable body shows as empty.
     */
    async devOutbox(request) {
      const to = request.query.to ? normalizeEmail(request.query.to) : undefined;
      const rows = await listOutbox(ctx.db, to);
      const key = outboxKey(ctx);
      return {
        messages: rows.map((m) => {
          const content = mailFields(key, m);
          return {
            id: m.id,
            to: m.to_address,
            subject: m.subject,
            text: content?.text ?? '',
            html: content?.html ?? '',
            links: content?.links ?? [],
            createdAt: new Date(m.created_at).toISOString(),
          };
        }),
      };
    },
  };
}
