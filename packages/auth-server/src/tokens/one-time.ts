/**
 * One-time tokens (verification, reset): 256 random bits, stored only as SHA-256, single use.
 * A token is consumed by the same UPDATE that finds it, so under concurrent use exactly one
 * caller receives the user id.
 */
import type { Kysely } from 'kysely';
import type { Database, OneTimeTokenKind } from '../db/schema.js';
import { randomToken, sha256 } from './opaque.js';

export const ONE_TIME_TOKEN_TTL_MS: Record<OneTimeTokenKind, number> = {
  verification: 24 * 60 * 60 * 1000,
  reset: 60 * 60 * 1000,
};

/** Creates a token of `kind` for the user and returns its plaintext (to be mailed, never stored). */
export async function issueOneTimeToken(
  db: Kysely<Database>,
  userId: string,
  kind: OneTimeTokenKind,
): Promise<string> {
  const token = randomToken(32);
  await db
    .insertInto('one_time_tokens')
    .values({
      user_id: userId,
      kind,
      token_hash: sha256(token),
      expires_at: new Date(Date.now() + ONE_TIME_TOKEN_TTL_MS[kind]),
    })
    .execute();
  return token;
}

/** Marks the token used and returns its user id; undefined when unknown, used, expired or of another kind. */
export async function consumeOneTimeToken(
  db: Kysely<Database>,
  token: string,
  kind: OneTimeTokenKind,
): Promise<string | undefined> {
  const row = await db
    .updateTable('one_time_tokens')
    .set({ used_at: new Date() })
    .where('token_hash', '=', sha256(token))
    .where('kind', '=', kind)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning('user_id')
    .executeTakeFirst();
  return row?.user_id;
}

/** Invalidates every unused token of `kind` for the user (e.g. after a successful reset). */
export async function invalidateOneTimeTokens(
  db: Kysely<Database>,
  userId: string,
  kind: OneTimeTokenKind,
): Promise<void> {
  await db
    .updateTable('one_time_tokens')
    .set({ used_at: new Date() })
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .where('used_at', 'is', null)
    .execute();
}
