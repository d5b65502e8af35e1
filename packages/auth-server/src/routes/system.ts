/** GET /api/health and the development outbox. */
import { HealthResponse, OutboxResponse } from '@emotion-app/auth-client/contract';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import { errorResponses } from '../http/schemas.js';
import { listOutbox, mailFields, outboxKey } from '../mail/outbox.js';
import { normalizeEmail } from '../users/email.js';

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;
  app.get(
    '/health',
    { schema: { tags: ['system'], response: { 200: HealthResponse, 503: HealthResponse } } },
    async (_request, reply) => {
      try {
        await sql`SELECT 1`.execute(ctx.db);
        return { status: 'ok', db: 'ok' };
      } catch (err) {
        app.log.error({ err }, 'health check: database unreachable');
        return reply.code(503).send({ status: 'error', db: 'unreachable' });
      }
    },
  );
};

/**
 * Registered only outside production and without SMTP (otherwise the route does not exist: 404).
 * The development transport delivers nothing, so bodies stay (sealed) in the outbox and are
 * opened here; an erased or unreadable body shows as empty.
 */
export const devOutboxRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;
  app.get(
    '/outbox',
    {
      schema: {
        tags: ['development'],
        querystring: Type.Object({ to: Type.Optional(Type.String({ maxLength: 254 })) }),
        response: { 200: OutboxResponse, ...errorResponses },
      },
    },
    async (request) => {
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
  );
};
