/** The revocation feed for services (DESIGN §7): a page of events, or the SSE stream. */
import { ProblemError } from '@emotion-app/protocol';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import type { AuthHandlers } from '../http/endpoints.js';
import { requireServiceKey } from '../http/service-key.js';
import { streamRevocations } from '../revocations/stream.js';

const CURSOR = /^[0-9]{1,18}$/;

/** The stream's resume point: `Last-Event-ID` (as EventSource sends it), else `?since=`. */
function resumeCursor(request: FastifyRequest, since: string | undefined): bigint | undefined {
  const header = request.headers['last-event-id'];
  const raw = typeof header === 'string' && header !== '' ? header : since;
  if (raw === undefined) return undefined;
  if (!CURSOR.test(raw)) {
    throw new ProblemError({
      code: 'validation_failed',
      detail: 'Last-Event-ID must be an event id (digits).',
      errors: [{ path: 'Last-Event-ID', message: 'must be an event id' }],
    });
  }
  return BigInt(raw);
}

export function revocationHandlers(ctx: AppContext): Pick<AuthHandlers, 'revocations' | 'revocationStream'> {
  return {
    async revocations(request) {
      requireServiceKey(ctx, request);
      const { since, limit } = request.query;
      return ctx.revocations.page(
        since === undefined ? undefined : BigInt(since),
        limit === undefined ? undefined : Number(limit),
      );
    },

    async revocationStream(request, reply) {
      requireServiceKey(ctx, request);
      const resume = resumeCursor(request, request.query.since);
      // 410 (problem+json) before any byte of the stream when the cursor is too old.
      const { maxId } = await ctx.revocations.checkCursor(resume);
      await streamRevocations(request, reply, {
        db: ctx.db,
        feed: ctx.revocations,
        heartbeatMs: ctx.config.revocations.heartbeatSeconds * 1000,
        cursor: resume ?? maxId,
        resume: resume !== undefined,
      });
      return reply;
    },
  };
}
