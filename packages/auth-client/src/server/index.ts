/**
 * `@emotion-app/auth-client/server`: Node-only helpers for backends that accept auth-server
 * access tokens: the local verifier and `requireAuth` for Fastify and Express.
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
  createTokenVerifier,
  type HmacAlgorithm,
  type TokenVerifier,
  type TokenVerifierOptions,
} from './verifier.js';
