/** The `signing_keys` table (migration 0003). */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { NewKeyMaterial } from './material.js';

type Q = Kysely<Database>;

export interface SigningKeyRow {
  kid: string;
  alg: 'ES256' | 'RS256' | 'EdDSA';
  public_jwk: string;
  sealed_private: string;
  created_at: Date;
  activates_at: Date;
}

/** Every key, oldest activation first. */
export async function listSigningKeys(db: Q): Promise<SigningKeyRow[]> {
  const rows = await db
    .selectFrom('signing_keys')
    .selectAll()
    .orderBy('activates_at', 'asc')
    .orderBy('created_at', 'asc')
    .orderBy('kid', 'asc')
    .execute();
  return rows.map((r) => ({
    ...r,
    created_at: new Date(r.created_at),
    activates_at: new Date(r.activates_at),
  }));
}

/** Inserts a key; a kid already present is left as it is (thumbprints are unique per key). */
export async function insertSigningKey(db: Q, key: NewKeyMaterial, activatesAt: Date): Promise<void> {
  await db
    .insertInto('signing_keys')
    .values({
      kid: key.kid,
      alg: key.alg,
      public_jwk: JSON.stringify(key.publicJwk),
      sealed_private: key.sealedPrivate,
      activates_at: activatesAt,
    })
    .onConflict((oc) => oc.column('kid').doNothing())
    .execute();
}

/** Deletes keys that have not started signing yet (a rotation replaces a pending `next`). */
export async function deletePendingKeys(db: Q, now: Date): Promise<void> {
  await db.deleteFrom('signing_keys').where('activates_at', '>', now).execute();
}

export async function deleteSigningKeys(db: Q, kids: readonly string[]): Promise<void> {
  if (kids.length > 0) await db.deleteFrom('signing_keys').where('kid', 'in', kids).execute();
}

/**
 * Runs `work` in a transaction holding the ring's advisory lock, so concurrent first starts and
 * rotations on several instances take turns.
 */
export function withRingLock<T>(db: Q, work: (trx: Q) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('auth-server/signing-keys'))`.execute(trx);
    return work(trx);
  });
}
