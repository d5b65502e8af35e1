/**
 * Public JWKs (RFC 7517) of the signing keys: the members a JWKS may carry, the RFC 7638
 * thumbprint used as `kid`, and the import of a JWK as a public key that refuses private or
 * symmetric material.
 */
import { createHash, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';

/** The public members of an EC (P-256), RSA or OKP (Ed25519) key. */
export interface PublicJwk {
  kty: 'EC' | 'RSA' | 'OKP';
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
}

/** Members of a JWK that carry private or symmetric key material. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** The RFC 7638 §3.2 required members of each key type, in lexicographic order. */
const REQUIRED_MEMBERS = {
  EC: ['crv', 'kty', 'x', 'y'],
  RSA: ['e', 'kty', 'n'],
  OKP: ['crv', 'kty', 'x'],
} as const;

function requiredMembers(jwk: Record<string, unknown>): readonly string[] {
  const kty = jwk.kty;
  if (kty !== 'EC' && kty !== 'RSA' && kty !== 'OKP') {
    throw new TypeError(`unsupported JWK key type ${JSON.stringify(kty)} (EC, RSA or OKP)`);
  }
  const members = REQUIRED_MEMBERS[kty];
  for (const m of members) {
    if (typeof jwk[m] !== 'string' || jwk[m] === '') throw new TypeError(`JWK member ${m} is missing`);
  }
  return members;
}

/**
 * The RFC 7638 JWK thumbprint: SHA-256 over the required members in lexicographic order, without
 * whitespace, base64url-encoded. auth-server uses it as the `kid` of its signing keys. Throws a
 * `TypeError` for an unsupported or incomplete key.
 *
 * @example
 * ```ts
 * jwkThumbprint({ kty: 'RSA', n: '0vx7agoeb…', e: 'AQAB' }); // 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'
 * ```
 */
export function jwkThumbprint(jwk: PublicJwk | Record<string, unknown>): string {
  const source = jwk as Record<string, unknown>;
  const canonical: Record<string, unknown> = {};
  for (const m of requiredMembers(source)) canonical[m] = source[m];
  return createHash('sha256').update(JSON.stringify(canonical), 'utf8').digest('base64url');
}

/**
 * The public JWK of a key (a private key gives its public half): only `kty` and the public
 * members (`crv`, `x`, `y` / `n`, `e`), never `d` or `k`. Throws a `TypeError` for a secret key
 * or an unsupported key type.
 *
 * @example
 * ```ts
 * const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
 * publicJwk(privateKey); // { kty: 'EC', crv: 'P-256', x: '…', y: '…' }
 * ```
 */
export function publicJwk(key: KeyObject): PublicJwk {
  if (key.type === 'secret') throw new TypeError('publicJwk: a secret key has no public JWK');
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const exported = pub.export({ format: 'jwk' }) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const m of requiredMembers(exported)) out[m] = exported[m];
  return { kty: out.kty, ...out } as unknown as PublicJwk;
}

/**
 * Imports a JWK from a JWKS as a public key. Refuses (`TypeError`) any JWK carrying private or
 * symmetric members (`d`, `p`, `q`, `dp`, `dq`, `qi`, `oth`, `k`) or of another key type.
 */
export function publicKeyFromJwk(jwk: Record<string, unknown>): KeyObject {
  if (typeof jwk !== 'object' || jwk === null) throw new TypeError('publicKeyFromJwk: not a JWK');
  for (const m of PRIVATE_MEMBERS) {
    if (jwk[m] !== undefined) throw new TypeError(`publicKeyFromJwk: a public JWK must not carry ${m}`);
  }
  const members = requiredMembers(jwk);
  const clean: Record<string, unknown> = {};
  for (const m of members) clean[m] = jwk[m];
  return createPublicKey({ key: clean as JsonWebKey, format: 'jwk' });
}
