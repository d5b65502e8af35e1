/**
 * The public-key form of `createTokenVerifier`: ES256 / RS256 / EdDSA with the key a resolver
 * finds from the header's `kid` and `alg`, used only with the one algorithm it fits.
 */
import { verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { decodeSignature } from './base64url.js';
import { ASYMMETRIC_ALGORITHMS, type AsymmetricAlgorithm, keyFit } from './keys.js';
import { allowList, type TokenChecks } from './token-checks.js';
import type { KeyResolverVerifierOptions, TokenVerifier } from './verifier-options.js';

/** The verifier of `{ keys }` options, on the shared checks of `createTokenVerifier`. */
export function createKeyResolverVerifier(
  opts: KeyResolverVerifierOptions,
  checks: TokenChecks,
): TokenVerifier {
  const { invalid, split, claimsOf } = checks;
  const resolve = opts.keys;
  const allowed = allowList(
    opts.algorithms ?? ASYMMETRIC_ALGORITHMS,
    { ES256: 'ES256', RS256: 'RS256', EdDSA: 'EdDSA' } as Record<string, AsymmetricAlgorithm>,
    (alg) => `algorithm ${JSON.stringify(alg)} is not allowed with public keys (use ES256, RS256 or EdDSA)`,
  );
  const parseHeader = checks.headerParser(allowed);

  /** Verifies the signature with the resolved key and returns the claims. */
  function finish(token: string, dot1: number, dot2: number, alg: string, key: KeyObject | undefined) {
    if (key === undefined || key === null) throw invalid('unknown signing key');
    const fit = typeof key === 'object' ? keyFit(key) : null;
    if (fit === null || fit.alg !== alg) throw invalid(`the signing key does not fit algorithm ${alg}`);
    const received = Buffer.allocUnsafe(fit.shape.bytes);
    if (!decodeSignature(token.slice(dot2 + 1), fit.shape, received)) {
      throw invalid('signature verification failed');
    }
    const input = Buffer.from(token.slice(0, dot2), 'utf8');
    const ok = cryptoVerify(
      fit.digest,
      input,
      fit.dsaEncoding ? { key, dsaEncoding: fit.dsaEncoding } : key,
      received,
    );
    if (!ok) throw invalid('signature verification failed');
    return claimsOf(token, dot1, dot2);
  }

  return {
    verifySync(token) {
      const [dot1, dot2] = split(token);
      const { header } = parseHeader(token.slice(0, dot1));
      const key = resolve(header);
      if (typeof (key as { then?: unknown } | undefined)?.then === 'function') {
        (key as Promise<unknown>).then(undefined, () => {});
        throw new TypeError(
          'createTokenVerifier: verifySync needs a key resolver that answers synchronously (it returned a Promise); use verify',
        );
      }
      return finish(token, dot1, dot2, header.alg, key as KeyObject | undefined);
    },
    async verify(token) {
      const [dot1, dot2] = split(token);
      const { header } = parseHeader(token.slice(0, dot1));
      const key = await resolve(header);
      return finish(token, dot1, dot2, header.alg, key);
    },
  };
}
