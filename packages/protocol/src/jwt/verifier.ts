/**
 * Local verification of auth-server access tokens, written directly on `node:crypto` for speed.
 * Two forms share every rule but the signature check:
 * - `{ secret }`: HS256/384/512 with a shared secret (the seed's model), compared in constant time;
 * - `{ keys }`: ES256 / RS256 / EdDSA with public keys found by a resolver from the header's
 *   `kid` and `alg` (auth-server's key ring, auth-client's JWKS).
 *
 * Both check what RFC 8725 asks: an algorithm allow-list (never `none`; HMAC only with a secret,
 * asymmetric only with keys, and a key only with the one algorithm it fits), `exp`/`nbf` with a
 * clock tolerance, `iss`, `aud`; they refuse `crit`, `b64`, and the key-carrying or key-locating
 * headers `jku`, `x5u`, `x5c`, `jwk` (never followed), and check the claims every access token
 * carries (`sub`, `sid`, `email`, `role`). auth-server verifies its own tokens with this same
 * function, so the service and its verifiers cannot disagree. Node-only: the
 * `@emotion-app/protocol/jwt` entry.
 *
 * The shared rules are in token-checks.ts, the two signature checks in hmac-verifier.ts and
 * key-resolver-verifier.ts, the option and result types in verifier-options.ts.
 */
import type { ProblemErrorClass } from '../problems/parse-response.js';
import { ProblemError } from '../problems/problem-error.js';
import { createHmacVerifier } from './hmac-verifier.js';
import { createKeyResolverVerifier } from './key-resolver-verifier.js';
import { createTokenChecks } from './token-checks.js';
import type {
  KeyResolverVerifierOptions,
  SecretVerifierOptions,
  TokenVerifier,
  TokenVerifierOptions,
} from './verifier-options.js';

export type {
  CommonVerifierOptions,
  HmacAlgorithm,
  KeyResolver,
  KeyResolverVerifierOptions,
  SecretVerifierOptions,
  TokenHeader,
  TokenVerifier,
  TokenVerifierOptions,
} from './verifier-options.js';

/**
 * Creates a local verifier for auth-server access tokens: no network call per request.
 * Built from `{ secret }` it accepts HS256 (or HS384/HS512 when listed); built from `{ keys }` it
 * accepts ES256, RS256 and EdDSA (or the listed subset), each only with a key of its type: EC P-256
 * with raw r||s signatures, RSA of at least 2048 bits, Ed25519.
 *
 * Throws a `TypeError` at creation for a bad configuration (short secret, both or neither of
 * `secret` and `keys`, `none` or an algorithm of the other family in the allow-list). `verify`
 * rejects with an `ErrorClass` error (default {@link ProblemError}; auth-client passes its
 * `AuthError`) with status 401 and code `token_expired` (past `exp` + tolerance) or
 * `invalid_token` (anything else).
 *
 * @example
 * ```ts
 * import { createTokenVerifier } from '@emotion-app/protocol/jwt';
 *
 * const verifier = createTokenVerifier({ secret: process.env.AUTH_JWT_SECRET! });
 * const claims = await verifier.verify(accessToken); // { sub, sid, email, role, exp, ... }
 *
 * const byKid = new Map<string, KeyObject>(); // kid → public key, e.g. from a JWKS
 * const asymmetric = createTokenVerifier({ keys: ({ kid }) => (kid ? byKid.get(kid) : undefined) });
 * ```
 */
export function createTokenVerifier(
  options: TokenVerifierOptions,
  ErrorClass: ProblemErrorClass<Error> = ProblemError as unknown as ProblemErrorClass<Error>,
): TokenVerifier {
  const hasSecret = options?.secret !== undefined;
  const hasKeys = options?.keys !== undefined;
  if (hasSecret === hasKeys) {
    throw new TypeError('createTokenVerifier: give exactly one of secret (HMAC) or keys (public keys)');
  }
  if (hasKeys && typeof options.keys !== 'function') {
    throw new TypeError('createTokenVerifier: keys must be a function (header) => KeyObject | undefined');
  }
  const checks = createTokenChecks(options, ErrorClass);
  if (hasSecret) return createHmacVerifier(options as SecretVerifierOptions, checks);
  return createKeyResolverVerifier(options as KeyResolverVerifierOptions, checks);
}
