/**
 * `@emotion-app/protocol/jwt`: the Node-only verification core of access tokens, shared by
 * auth-server (its own tokens) and auth-client's `createTokenVerifier`.
 */
export {
  createTokenVerifier,
  type HmacAlgorithm,
  type TokenVerifier,
  type TokenVerifierOptions,
} from './verifier.js';
