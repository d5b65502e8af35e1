import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Serves the built web app at `/`. Unknown GET paths whose client accepts HTML, and the pages mails
 * link to, get index.html (client-side routes); everything else falls through to the 404 problem.
 */
export async function registerWebApp(app: FastifyInstance, webDist: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: webDist,
    prefix: '/',
    wildcard: true,
    index: ['index.html'],
    cacheControl: true,
    maxAge: 0,
    setHeaders: (reply, filePath) => {
      // Vite's hashed assets never change; index.html must always be revalidated.
      if (/[\\/]assets[\\/]/.test(filePath))
        reply.header('cache-control', 'public, max-age=31536000, immutable');
      else reply.header('cache-control', 'no-cache');
    },
  });
}

/** The pages that mails link to (and GET /auth/verify redirects to): whoever follows the link gets the page. */
const LINKED_PAGES = new Set(['/verify-email', '/reset-password']);

/** Whether a request that matched no route should get the SPA's index.html. */
export function wantsSpa(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0] ?? '';
  return LINKED_PAGES.has(path) || (request.headers.accept ?? '').includes('text/html');
}

export function sendSpa(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-cache').sendFile('index.html');
}
