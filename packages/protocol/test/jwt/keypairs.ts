import { generateKeyPairSync, type KeyObject, sign as cryptoSign } from 'node:crypto';
import { b64url } from '../helpers/tokens.js';

export type Alg = 'ES256' | 'RS256' | 'EdDSA';

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const cache = new Map<string, KeyPair>();

/** A key pair of the kind that fits `alg` (cached by `alg` and `label`: RSA generation is slow). */
export function keyPair(alg: Alg, label = 'a'): KeyPair {
  const id = `${alg}:${label}`;
  let pair = cache.get(id);
  if (!pair) {
    if (alg === 'ES256') pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    else if (alg === 'RS256') pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    else pair = generateKeyPairSync('ed25519');
    cache.set(id, pair);
  }
  return pair;
}

/** Signs a JWS with node:crypto as auth-server does: ES256 raw r||s, RS256 PKCS#1 v1.5, Ed25519. */
export function signAsym(
  payload: Record<string, unknown>,
  alg: Alg,
  privateKey: KeyObject,
  header: Record<string, unknown> = { alg, typ: 'JWT', kid: 'kid-1' },
): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  const data = Buffer.from(input);
  const sig =
    alg === 'ES256'
      ? cryptoSign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' })
      : cryptoSign(alg === 'RS256' ? 'sha256' : null, data, privateKey);
  return `${input}.${sig.toString('base64url')}`;
}
