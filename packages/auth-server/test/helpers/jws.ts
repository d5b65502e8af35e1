/** Hand-made JWS for forgery tests: any header, signed by node:crypto as the header's alg says. */
import { createHmac, type KeyObject, sign as cryptoSign } from 'node:crypto';

export const b64json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function decodeSegment(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index] ?? '', 'base64url').toString('utf8'));
}

/** Signs `header`.`claims` with `key`: HMAC for a Buffer/string, else ES256 raw, RS256 or Ed25519. */
export function signJws(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  key: KeyObject | Buffer | string,
): string {
  const input = `${b64json(header)}.${b64json(claims)}`;
  const data = Buffer.from(input);
  let sig: Buffer;
  if (typeof key === 'string' || Buffer.isBuffer(key)) sig = createHmac('sha256', key).update(input).digest();
  else if (key.asymmetricKeyType === 'ec')
    sig = cryptoSign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
  else if (key.asymmetricKeyType === 'rsa') sig = cryptoSign('sha256', data, key);
  else sig = cryptoSign(null, data, key);
  return `${input}.${sig.toString('base64url')}`;
}
