/** Strict base64url (RFC 4648 §5, no padding) helpers of the verification core. */

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** base64url character code → 6-bit value, or -1. */
const B64URL_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < B64URL.length; i++) B64URL_VALUE[B64URL.charCodeAt(i)] = i;

/** Bits of the last character that must be zero for a canonical encoding, by `bytes % 3`. */
const LAST_CHAR_MASK = [0, 0b1111, 0b11] as const;

/** True when every character of `s` is in the base64url alphabet (no padding). */
export function isBase64Url(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || (B64URL_VALUE[c] as number) < 0) return false;
  }
  return true;
}

/** How a signature of `bytes` bytes must look when base64url-encoded without padding. */
export interface SignatureShape {
  /** Signature length in bytes. */
  readonly bytes: number;
  /** Length of the unpadded base64url text. */
  readonly chars: number;
  /** Bits of the last character that must be zero (canonical encoding). */
  readonly lastCharMask: number;
}

export function signatureShape(bytes: number): SignatureShape {
  return { bytes, chars: Math.ceil((bytes * 4) / 3), lastCharMask: LAST_CHAR_MASK[bytes % 3] as number };
}

/**
 * Decodes a signature segment into `out` (which must be `shape.bytes` long) when it is the one
 * canonical base64url text of exactly `shape.bytes` bytes; false otherwise.
 */
export function decodeSignature(sig: string, shape: SignatureShape, out: Buffer): boolean {
  if (sig.length !== shape.chars) return false;
  const lastValue = B64URL_VALUE[sig.charCodeAt(sig.length - 1)] ?? -1;
  if (lastValue < 0 || (lastValue & shape.lastCharMask) !== 0) return false;
  // Node's decoder skips characters outside the alphabet, so a full-length result also proves
  // every character was valid; '+' and '/' (plain base64) are refused explicitly.
  return out.write(sig, 'base64url') === shape.bytes && !sig.includes('+') && !sig.includes('/');
}
