import { createHash, generateKeyPairSync, type KeyObject, sign as cryptoSign } from 'node:crypto';
import { b64url } from './tokens.js';

export type Alg = 'ES256' | 'RS256' | 'EdDSA';
export const ALGS: readonly Alg[] = ['ES256', 'RS256', 'EdDSA'];

/** A signing key as auth-server holds one: private key, public JWK with kid/alg/use. */
export interface TestKey {
  alg: Alg;
  kid: string;
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
}

/** Generates a key of `alg` whose kid is its RFC 7638 thumbprint, as auth-server does. */
export function generateKey(alg: Alg): TestKey {
  const { privateKey, publicKey } =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : alg === 'RS256'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ed25519');
  const pub = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const members =
    pub.kty === 'EC' ? ['crv', 'kty', 'x', 'y'] : pub.kty === 'RSA' ? ['e', 'kty', 'n'] : ['crv', 'kty', 'x'];
  const canonical = Object.fromEntries(members.map((m) => [m, pub[m]]));
  const kid = createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
  return { alg, kid, privateKey, jwk: { ...pub, kid, alg, use: 'sig' } };
}

/** Signs a JWT with `key` (header `{ alg, typ, kid }` unless given). */
export function signWith(
  key: TestKey,
  payload: Record<string, unknown>,
  header?: Record<string, unknown>,
): string {
  const input = `${b64url(header ?? { alg: key.alg, typ: 'JWT', kid: key.kid })}.${b64url(payload)}`;
  const data = Buffer.from(input);
  const sig =
    key.alg === 'ES256'
      ? cryptoSign('sha256', data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
      : key.alg === 'RS256'
        ? cryptoSign('sha256', data, key.privateKey)
        : cryptoSign(null, data, key.privateKey);
  return `${input}.${sig.toString('base64url')}`;
}
