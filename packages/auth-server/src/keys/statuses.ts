/**
 * What the key ring (ring.ts) derives from the rows of `signing_keys` alone (DESIGN §7): each key's
 * status at an instant from the order of `activates_at` (`next`, `current`, `previous`, or expired
 * past its retention), and a row's public key imported and checked against its kid and alg.
 */
import type { KeyObject } from 'node:crypto';
import type { SigningKeyStatus } from '@emotion-app/protocol';
import { jwkThumbprint, keyAlgorithm, type PublicJwk, publicKeyFromJwk } from '@emotion-app/protocol/jwt';
import type { SigningKeyRow } from './repository.js';

/** A key with its status at some instant. */
export interface KeyStatus<R> {
  key: R;
  status: SigningKeyStatus;
}

/**
 * Derives the statuses of keys sorted by activation (oldest first) at `nowMs`: the keys still
 * published (`live`, oldest first) and the previous keys past their retention (`expired`).
 */
export function deriveStatuses<R>(
  keys: readonly R[],
  activation: (key: R) => Date,
  nowMs: number,
  retentionMs: number,
): { live: KeyStatus<R>[]; expired: R[] } {
  let current = -1;
  keys.forEach((key, i) => {
    if (activation(key).getTime() <= nowMs) current = i;
  });
  const live: KeyStatus<R>[] = [];
  const expired: R[] = [];
  keys.forEach((key, i) => {
    if (i > current) live.push({ key, status: 'next' });
    else if (i === current) live.push({ key, status: 'current' });
    else if (activation(keys[i + 1] as R).getTime() + retentionMs > nowMs)
      live.push({ key, status: 'previous' });
    else expired.push(key);
  });
  return { live, expired };
}

/** A row whose public key has been imported and checked. */
export interface CheckedKey {
  row: SigningKeyRow;
  jwk: PublicJwk;
  publicKey: KeyObject;
}

export const rowActivation = (row: SigningKeyRow) => row.activates_at;
export const checkedKeyActivation = (entry: CheckedKey) => entry.row.activates_at;

/** Imports a row's public key; throws when it does not parse, is not the row's kid or does not fit its alg. */
export function checkedKey(row: SigningKeyRow): CheckedKey {
  const jwk = JSON.parse(row.public_jwk) as PublicJwk;
  const publicKey = publicKeyFromJwk(jwk as unknown as Record<string, unknown>);
  if (jwkThumbprint(jwk) !== row.kid) throw new Error('kid is not the thumbprint of the public key');
  if (keyAlgorithm(publicKey) !== row.alg) throw new Error(`the public key does not fit ${row.alg}`);
  return { row, jwk, publicKey };
}
