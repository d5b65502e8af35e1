/** The JWKS and the signing-key administration (DESIGN §7). */
import { ProblemError, type SigningKeyInfo } from '@emotion-app/protocol';
import type { AppContext } from '../context.js';
import { requireServiceKeyOrAdmin } from '../http/admin.js';
import type { AuthHandlers } from '../http/endpoints.js';
import { keyId } from '../tokens/jwt.js';

/** Verifiers may cache the JWKS this long; a rotation publishes the next key 600 s ahead by default. */
export const JWKS_MAX_AGE_SECONDS = 300;

export function keyHandlers(
  ctx: AppContext,
): Pick<AuthHandlers, 'jwks' | 'listSigningKeys' | 'rotateSigningKeys'> {
  /** HS256 mode: the one shared secret, by the kid its tokens carry. */
  const secretKey = (): SigningKeyInfo[] => [
    {
      kid: keyId(ctx.config.jwt.secret),
      alg: 'HS256',
      status: 'current',
      createdAt: ctx.startedAt.toISOString(),
    },
  ];

  return {
    async jwks(_request, reply) {
      reply.header('cache-control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`);
      return ctx.keys ? ctx.keys.jwks() : { keys: [] };
    },

    async listSigningKeys(request) {
      await requireServiceKeyOrAdmin(ctx, request);
      return { keys: ctx.keys ? ctx.keys.list() : secretKey() };
    },

    async rotateSigningKeys(request) {
      const caller = await requireServiceKeyOrAdmin(ctx, request);
      if (!ctx.keys) {
        throw new ProblemError({
          code: 'conflict',
          detail:
            "JWT_ALG is HS256: rotate the key by changing JWT_SECRET_KEY (and every verifier's secret).",
        });
      }
      const immediate = request.body?.immediate === true;
      const keys = await ctx.keys.rotate(immediate);
      request.log.info({ caller, immediate }, 'signing key rotated');
      return { keys };
    },
  };
}
