/**
 * Device tokens: a long-lived, signed proof that this browser or client has signed in to one
 * account before. The login route hands one out after a successful sign-in (typically in a
 * `device_token` cookie, or to non-browser clients in the response) and, when a later login
 * presents a valid one for the same account, skips the per-account all-IPs failure limit. That
 * way an attacker who hammers an account from many IPs cannot lock its real owner out
 * (issue 3, "throttling that can't lock users out"; OWASP "device cookies").
 *
 * Format (opaque base64url, 76 characters): `version(1) | randomId(16) | issuedAt(8, uint64 BE
 * seconds) | HMAC-SHA256(32)`. The MAC covers the version, random id, issued-at and the user id
 * (which is not in the token itself, so the cookie does not reveal it). The MAC key is derived
 * from the server secret with a label, so a device token can never be confused with a JWT or any
 * other value signed with the same secret. Tokens are valid for 365 days; the random id makes
 * every token unique (and lets a revocation list be added later).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a device token is accepted, in seconds (365 days). Use it as the cookie's Max-Age. */
export const DEVICE_TOKEN_MAX_AGE_SEC = 365 * 24 * 60 * 60;

const VERSION = 1;
const ID_BYTES = 16;
const IAT_BYTES = 8;
const MAC_BYTES = 32;
const BODY_BYTES = 1 + ID_BYTES + IAT_BYTES;
const TOKEN_BYTES = BODY_BYTES + MAC_BYTES;
/** base64url length of TOKEN_BYTES (57 bytes -> 76 characters, no padding). */
const TOKEN_CHARS = Math.ceil((TOKEN_BYTES * 4) / 3);
/** Tolerated clock skew between instances for tokens issued "in the future". */
const MAX_FUTURE_SKEW_SEC = 300;
const KEY_LABEL = 'emotion-app/auth-server/device-token/v1';

function nowInSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function deriveKey(secret: string): Buffer {
  if (!secret) throw new Error('device token secret must not be empty');
  return createHmac('sha256', secret).update(KEY_LABEL).digest();
}

function mac(secret: string, body: Buffer, userId: string): Buffer {
  return createHmac('sha256', deriveKey(secret)).update(body).update(userId, 'utf8').digest();
}

/**
 * Creates a device token binding this device to `userId`.
 *
 * @param secret the server's signing secret (e.g. `JWT_SECRET_KEY`)
 * @param userId the account that just signed in
 * @param nowSec issue time in Unix seconds (defaults to now; injectable for tests)
 * @returns an opaque base64url string of 76 characters
 *
 * @example
 * ```ts
 * reply.setCookie('device_token', createDeviceToken(config.jwtSecret, user.id), {
 *   httpOnly: true, sameSite: 'strict', path: '/api/auth/login', maxAge: DEVICE_TOKEN_MAX_AGE_SEC,
 * });
 * ```
 */
export function createDeviceToken(secret: string, userId: string, nowSec: number = nowInSeconds()): string {
  const body = Buffer.alloc(BODY_BYTES);
  body.writeUInt8(VERSION, 0);
  randomBytes(ID_BYTES).copy(body, 1);
  body.writeBigUInt64BE(BigInt(Math.floor(nowSec)), 1 + ID_BYTES);
  return Buffer.concat([body, mac(secret, body, userId)]).toString('base64url');
}

/**
 * Checks that `token` was issued by this server (same `secret`) for `userId`, less than 365 days
 * ago. Never throws on bad input: garbage, a tampered, expired or other user's token gives `false`.
 * The MAC comparison is constant-time.
 *
 * @param secret the server's signing secret used by {@link createDeviceToken}
 * @param token the value the client sent back (may be anything, including `undefined`)
 * @param userId the account being signed in to
 * @param nowSec current Unix time in seconds (defaults to now; injectable for tests)
 *
 * @example
 * ```ts
 * const knownDevice = verifyDeviceToken(config.jwtSecret, request.cookies.device_token, user.id);
 * ```
 */
export function verifyDeviceToken(
  secret: string,
  token: string | undefined | null,
  userId: string,
  nowSec: number = nowInSeconds(),
): boolean {
  if (typeof token !== 'string' || token.length !== TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(token)) {
    return false;
  }
  const raw = Buffer.from(token, 'base64url');
  if (raw.length !== TOKEN_BYTES || raw.readUInt8(0) !== VERSION) return false;
  const body = raw.subarray(0, BODY_BYTES);
  const expected = mac(secret, body, userId);
  if (!timingSafeEqual(raw.subarray(BODY_BYTES), expected)) return false;
  const issuedAt = Number(body.readBigUInt64BE(1 + ID_BYTES));
  const age = nowSec - issuedAt;
  return age <= DEVICE_TOKEN_MAX_AGE_SEC && age >= -MAX_FUTURE_SKEW_SEC;
}
