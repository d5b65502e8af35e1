/**
 * `@emotion-app/auth-client/server`: Node-only helpers for backends that accept auth-server
 * access tokens: the local verifier (shared secret or JWKS), the revocation feed, and `requireAuth`
 * for Fastify and Express.
 */
export { AuthError, type AuthErrorInit, type FieldError, isAuthError, type ProblemBody } from '../errors.js';
export {
  type AuthProblemResponse,
  type AuthUser,
  authenticate,
  authProblem,
  extractToken,
  type RequireAuthOptions,
  readCookie,
} from './authenticate.js';
export { type ExpressLikeRequest, type ExpressMiddleware, expressRequireAuth } from './express.js';
export { createRequireAuth, type FastifyRequireAuthOptions, fastifyRequireAuth } from './fastify.js';
export {
  ASYMMETRIC_ALGORITHMS,
  type AsymmetricAlgorithm,
  createJwksKeySource,
  type JwksKey,
  type JwksKeySource,
  type JwksKeySourceOptions,
  parseJwks,
} from './jwks.js';
export {
  createRevocationFeed,
  type RevocationChecker,
  type RevocationClaims,
  type RevocationEvent,
  type RevocationEventType,
  type RevocationFeed,
  type RevocationFeedOptions,
  type RevocationFeedStatus,
} from './revocation-feed.js';
export { type SseEvent, SseParser } from './sse.js';
export {
  type AnyTokenVerifier,
  createTokenVerifier,
  type HmacAlgorithm,
  type JwksTokenVerifier,
  type JwksTokenVerifierOptions,
  type SecretTokenVerifierOptions,
  type TokenVerifier,
  type TokenVerifierOptions,
} from './verifier.js';
