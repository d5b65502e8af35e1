/**
 * Key material of the ring: generating a key pair for an algorithm, its kid (RFC 7638
 * thumbprint), and sealing the private key at rest (PKCS#8 DER, AES-256-GCM under
 * HKDF(JWT_SECRET_KEY, `auth-server/signing-keys/v1`), bound to `signing_keys:<kid>`).
 */
import { createPrivateKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import {
  type AsymmetricAlgorithm,
  jwkThumbprint,
  type PublicJwk,
  publicJwk,
} from '@emotion-app/protocol/jwt';
import { seal, sealingKey, unseal } from '../crypto/sealing.js';

const generate = promisify(generateKeyPair);

const INFO = 'auth-server/signing-keys/v1';

/** The key that seals private signing keys, derived from JWT_SECRET_KEY. */
export function signingKeySealingKey(secret: string): Buffer {
  return sealingKey(secret, INFO);
}

const aad = (kid: string) => `signing_keys:${kid}`;

export interface NewKeyMaterial {
  kid: string;
  alg: AsymmetricAlgorithm;
  publicJwk: PublicJwk;
  privateKey: KeyObject;
  sealedPrivate: string;
}

/** A fresh key pair for `alg` (P-256, RSA 2048, Ed25519), its kid and its sealed private key. */
export async function newKeyMaterial(alg: AsymmetricAlgorithm, sealing: Buffer): Promise<NewKeyMaterial> {
  const { privateKey } =
    alg === 'ES256'
      ? await generate('ec', { namedCurve: 'P-256' })
      : alg === 'RS256'
        ? await generate('rsa', { modulusLength: 2048 })
        : await generate('ed25519');
  const jwk = publicJwk(privateKey);
  const kid = jwkThumbprint(jwk);
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  return { kid, alg, publicJwk: jwk, privateKey, sealedPrivate: seal(sealing, aad(kid), der) };
}

/** Opens a sealed private key; throws when it was sealed under another secret or for another kid. */
export function openPrivateKey(sealing: Buffer, kid: string, sealed: string): KeyObject {
  return createPrivateKey({ key: unseal(sealing, aad(kid), sealed), format: 'der', type: 'pkcs8' });
}
