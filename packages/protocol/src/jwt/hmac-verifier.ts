/**
 * The shared-secret form of `createTokenVerifier`: HS256/384/512, the HMAC compared in constant
 * time, optionally only for tokens whose `kid` is listed in `keyId`.
 */
import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import type { AccessTokenClaims } from '../auth/contract.js';
import { MIN_SECRET_BYTES } from '../tokens.js';
import { decodeSignature, type SignatureShape, signatureShape } from './base64url.js';
import { allowList, asList, type TokenChecks } from './token-checks.js';
import type { HmacAlgorithm, SecretVerifierOptions, TokenVerifier } from './verifier-options.js';

interface HmacInfo extends SignatureShape {
  /** node:crypto digest name. */
  digest: 'sha256' | 'sha384' | 'sha512';
}

const HMAC_ALGS: Record<HmacAlgorithm, HmacInfo> = {
  HS256: { digest: 'sha256', ...signatureShape(32) },
  HS384: { digest: 'sha384', ...signatureShape(48) },
  HS512: { digest: 'sha512', ...signatureShape(64) },
};

function toSecretKey(secret: SecretVerifierOptions['secret']): KeyObject {
  let key: KeyObject;
  if (typeof secret === 'string') key = createSecretKey(Buffer.from(secret, 'utf8'));
  else if (secret instanceof Uint8Array) key = createSecretKey(Buffer.from(secret));
  else key = secret;
  if (key?.type !== 'secret') {
    throw new TypeError('createTokenVerifier: only shared-secret (HMAC) keys are supported with secret');
  }
  const size = key.symmetricKeySize ?? 0;
  if (size < MIN_SECRET_BYTES) {
    throw new TypeError(
      `createTokenVerifier: the secret must be at least ${MIN_SECRET_BYTES} bytes (got ${size})`,
    );
  }
  return key;
}

function asyncFrom(verifySync: (token: string) => AccessTokenClaims): TokenVerifier['verify'] {
  return (token) => {
    try {
      return Promise.resolve(verifySync(token));
    } catch (err) {
      return Promise.reject(err);
    }
  };
}

/** The verifier of `{ secret }` options, on the shared checks of `createTokenVerifier`. */
export function createHmacVerifier(opts: SecretVerifierOptions, checks: TokenChecks): TokenVerifier {
  const { invalid, split, claimsOf } = checks;
  const key = toSecretKey(opts.secret);
  const allowed = allowList(
    opts.algorithms ?? ['HS256'],
    HMAC_ALGS,
    (alg) =>
      `algorithm ${JSON.stringify(alg)} is not allowed with a shared secret (use HS256, HS384 or HS512)`,
  );
  const keyIds = opts.keyId === undefined ? undefined : asList(opts.keyId, 'keyId');
  const parseHeader = checks.headerParser(allowed);
  /** Scratch buffers the received signature is decoded into, one per signature size. */
  const scratch = new Map<number, Buffer>();
  for (const info of allowed.values()) scratch.set(info.bytes, Buffer.alloc(info.bytes));

  const verifySync = (token: string): AccessTokenClaims => {
    const [dot1, dot2] = split(token);
    const { info, header } = parseHeader(token.slice(0, dot1));
    if (keyIds && !(header.kid !== undefined && keyIds.includes(header.kid))) {
      throw invalid('unknown signing key');
    }
    const received = scratch.get(info.bytes) as Buffer;
    if (!decodeSignature(token.slice(dot2 + 1), info, received))
      throw invalid('signature verification failed');
    const expected = createHmac(info.digest, key).update(token.slice(0, dot2)).digest();
    if (!timingSafeEqual(expected, received)) throw invalid('signature verification failed');
    return claimsOf(token, dot1, dot2);
  };
  return { verifySync, verify: asyncFrom(verifySync) };
}
