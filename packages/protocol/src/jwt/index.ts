/**
 * `@emotion-app/protocol/jwt`: the Node-only verification core of access tokens, shared by
 * auth-server (its own tokens) and auth-client's `createTokenVerifier`, plus the JWK helpers both
 * sides need (public JWK, RFC 7638 thumbprint, which algorithm a key fits).
 */
export {
  type PublicJwk,
  jwkThumbprint,
  publicJwk,
  publicKeyFromJwk,
} from './jwk.js';
export {
  ASYMMETRIC_ALGORITHMS,
  type AsymmetricAlgorithm,
  keyAlgorithm,
  MIN_RSA_BITS,
} from './keys.js';
export {
  type CommonVerifierOptions,
  createTokenVerifier,
  type HmacAlgorithm,
  type KeyResolver,
  type KeyResolverVerifierOptions,
  type SecretVerifierOptions,
  type TokenHeader,
  type TokenVerifier,
  type TokenVerifierOptions,
} from './verifier.js';
