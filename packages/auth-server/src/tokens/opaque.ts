/** Opaque secrets: random tokens handed to clients, of which only SHA-256 hashes are stored. */
import { createHash, createHmac, randomBytes } from 'node:crypto';

/** 32 random bytes (256 bits) as base64url. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 hex of a token: the only form in which tokens are stored. */
export function sha256(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Derives the successor of a refresh token: HMAC-SHA256(chainKey, token). Deterministic, so a
 * token presented again within the grace window yields the very same successor without the
 * server ever storing a token in plaintext. Unpredictable without the server key.
 */
export function successorToken(chainKey: Buffer, token: string): string {
  return createHmac('sha256', chainKey).update(`refresh-successor:${token}`, 'utf8').digest('base64url');
}

/** A key for refresh chains, separate from the JWT key although derived from the same secret. */
export function deriveKey(secret: string, purpose: string): Buffer {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(purpose, 'utf8').digest();
}
