/**
 * The local verifier of auth-server access tokens: protocol's verification core
 * (`@emotion-app/protocol/jwt`), throwing the SDK's {@link AuthError}.
 */
import {
  createTokenVerifier as createVerifier,
  type TokenVerifier,
  type TokenVerifierOptions,
} from '@emotion-app/protocol/jwt';
import { AuthError } from '../errors.js';

export type { HmacAlgorithm, TokenVerifier, TokenVerifierOptions } from '@emotion-app/protocol/jwt';

/**
 * Creates a local verifier for auth-server access tokens: no network call per request.
 * Throws a `TypeError` at creation for a bad configuration (short secret, `none` or a non-HMAC
 * algorithm in the allow-list). `verify` rejects with an {@link AuthError} with status 401 and code
 * `token_expired` (past `exp` + 5 s of tolerance) or `invalid_token` (anything else).
 *
 * @example
 * ```ts
 * import { createTokenVerifier } from '@emotion-app/auth-client/server';
 *
 * const verifier = createTokenVerifier({ secret: process.env.AUTH_JWT_SECRET! });
 * const claims = await verifier.verify(accessToken); // { sub, sid, email, role, exp, ... }
 * ```
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  return createVerifier(options, AuthError);
}
