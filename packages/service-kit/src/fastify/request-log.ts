/**
 * Fastify's per-request log lines, without the probes: a load balancer or Prometheus calls the
 * health and metrics routes every few seconds, which would bury the requests that matter.
 */
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/** Paths whose successful requests are not logged at info level. */
export const PROBE_PATHS: readonly string[] = ['/health', '/api/health', '/metrics'];

const probes = new Set(PROBE_PATHS);

/** True when `url` (path and query) is one of {@link PROBE_PATHS}. */
export function isProbe(url: string): boolean {
  const query = url.indexOf('?');
  return probes.has(query === -1 ? url : url.slice(0, query));
}

/**
 * Fastify's log controller, except for {@link PROBE_PATHS}: no "incoming request" line, and a
 * "request completed" line only when the probe failed (5xx or an error), at warn level.
 */
export class ProbeQuietLogController extends LogController {
  override incomingRequest(request: FastifyRequest, reply: FastifyReply): void {
    if (isProbe(request.url)) return;
    super.incomingRequest(request, reply);
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (!isProbe(request.url)) {
      super.requestCompleted(error, request, reply);
    } else if (error || reply.statusCode >= 500) {
      reply.log.warn(
        { res: reply, err: error ?? undefined, responseTime: reply.elapsedTime },
        'probe failed',
      );
    }
  }
}
