/**
 * Asymmetric JWS algorithms of the verification core (RFC 7518 §3.3, §3.4; RFC 8037 §3.1) and
 * which public key fits which: EC P-256 for ES256, RSA of at least 2048 bits for RS256, Ed25519
 * for EdDSA. A key fits exactly one algorithm, so a token's `alg` header can never make a key be
 * used with another algorithm (RFC 8725 §2.1, §3.1).
 */
import type { KeyObject } from 'node:crypto';
import { type SignatureShape, signatureShape } from './base64url.js';

/** The algorithms a verifier built from public keys can accept. */
export type AsymmetricAlgorithm = 'ES256' | 'RS256' | 'EdDSA';

/** Every {@link AsymmetricAlgorithm}, the default allow-list of a key-resolver verifier. */
export const ASYMMETRIC_ALGORITHMS: readonly AsymmetricAlgorithm[] = Object.freeze([
  'ES256',
  'RS256',
  'EdDSA',
]);

/** Smallest RSA modulus accepted for RS256, in bits (RFC 7518 §3.3). */
export const MIN_RSA_BITS = 2048;

/** How a key verifies: the algorithm it fits and the shape of its signatures. */
export interface KeyFit {
  readonly alg: AsymmetricAlgorithm;
  /** node:crypto digest, null for Ed25519. */
  readonly digest: 'sha256' | null;
  /** ECDSA signatures in JWS are raw r||s (RFC 7518 §3.4), not DER. */
  readonly dsaEncoding: 'ieee-p1363' | undefined;
  readonly shape: SignatureShape;
}

const ES256_FIT: KeyFit = {
  alg: 'ES256',
  digest: 'sha256',
  dsaEncoding: 'ieee-p1363',
  shape: signatureShape(64),
};
const EDDSA_FIT: KeyFit = { alg: 'EdDSA', digest: null, dsaEncoding: undefined, shape: signatureShape(64) };

const fits = new WeakMap<KeyObject, KeyFit | null>();

function computeFit(key: KeyObject): KeyFit | null {
  if (key.type !== 'public') return null;
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ec':
      return details.namedCurve === 'prime256v1' ? ES256_FIT : null;
    case 'ed25519':
      return EDDSA_FIT;
    case 'rsa': {
      const bits = details.modulusLength ?? 0;
      if (bits < MIN_RSA_BITS || bits % 8 !== 0) return null;
      return { alg: 'RS256', digest: 'sha256', dsaEncoding: undefined, shape: signatureShape(bits / 8) };
    }
    default:
      return null;
  }
}

/**
 * What a public key can verify, or null when it fits none of the accepted algorithms (a private
 * or secret key, another curve, RSA-PSS, RSA under 2048 bits, ...). Cached per key object.
 */
export function keyFit(key: KeyObject): KeyFit | null {
  let fit = fits.get(key);
  if (fit === undefined) {
    fit = computeFit(key);
    fits.set(key, fit);
  }
  return fit;
}

/**
 * The JWS algorithm a public key fits (`ES256` for EC P-256, `RS256` for RSA ≥ 2048 bits,
 * `EdDSA` for Ed25519), or undefined.
 *
 * @example
 * ```ts
 * keyAlgorithm(createPublicKey({ key: jwk, format: 'jwk' })); // 'ES256'
 * ```
 */
export function keyAlgorithm(key: KeyObject): AsymmetricAlgorithm | undefined {
  return keyFit(key)?.alg;
}
