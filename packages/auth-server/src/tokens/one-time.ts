/**
 * One-time tokens (verification, reset): 256 random bits, stored only as SHA-256, single use.
 * A token is consumed by the same UPDATE that finds it, so under concurrent use exactly one
 * caller receives the user id.
 *
 * A verification token is bound to the password hash of the registration that sent it (verifying
 * sets that password) and, when the registering browser sent one, to a PKCE code challenge.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, OneTimeTokenKind } from '../db/schema.js';
import { randomToken, sha256 } from './opaque.js';

export const ONE_TIME_TOKEN_TTL_MS: Record<OneTimeTokenKind, number> = {
  verification: 24 * 60 * 60 * 1000,
  reset: 60 * 60 * 1000,
};

/** What a verification token is bound to. */
export interface VerificationBinding {
  /** The argon2 hash verifying sets as the user's password. */
  passwordHash: string;
  /** base64url SHA-256 of the registering browser's code verifier (PKCE), if it sent one. */
  codeChallenge?: string | undefined;
}

/** Creates a token of `kind` for the user and returns its plaintext (to be mailed, never stored). */
export async function issueOneTimeToken(db: Kysely<Database>, userId: string, kind: 'reset'): Promise<string>;
export async function issueOneTimeToken(
  db: Kysely<Database>,
  userId: string,
  kind: 'verification',
  binding: VerificationBinding,
): Promise<string>;
export async function issueOneTimeToken(
  db: Kysely<Database>,
  userId: string,
  kind: OneTimeTokenKind,
  binding?: VerificationBinding,
): Promise<string> {
  const token = randomToken(32);
  await db
    .insertInto('one_time_tokens')
    .values({
      user_id: userId,
      kind,
      token_hash: sha256(token),
      expires_at: new Date(Date.now() + ONE_TIME_TOKEN_TTL_MS[kind]),
      password_hash: binding?.passwordHash ?? null,
      code_challenge: binding?.codeChallenge ?? null,
    })
    .execute();
  return token;
}

/**
 * The code challenge of the user's newest verification token (used, expired or live), so a resent
 * link signs in only the browser of the registration it stands for; undefined when it had none.
 */
export async function latestCodeChallenge(db: Kysely<Database>, userId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('one_time_tokens')
    .select('code_challenge')
    .where('user_id', '=', userId)
    .where('kind', '=', 'verification')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.code_challenge ?? undefined;
}

/** A consumed verification token: whose it is and what it was bound to. */
export interface ConsumedVerification {
  userId: string;
  /** NULL for tokens issued before binding existed: then the user's password stays as it is. */
  passwordHash: string | null;
  codeChallenge: string | null;
}

/**
 * Consumes a verification token together with every other unused verification token of its user,
 * in one UPDATE, and returns what the presented one was bound to; undefined when it is unknown,
 * used, expired, or its user is already verified. Under concurrent use of any of a user's tokens,
 * exactly one caller receives the binding. Call it in the transaction that marks the user verified.
 */
export async function consumeVerificationToken(
  db: Kysely<Database>,
  token: string,
): Promise<ConsumedVerification | undefined> {
  const tokenHash = sha256(token);
  const now = new Date();
  const rows = await db
    .updateTable('one_time_tokens')
    .set({ used_at: now })
    .where('kind', '=', 'verification')
    .where('used_at', 'is', null)
    .where('user_id', '=', (eb) =>
      eb
        .selectFrom('one_time_tokens as presented')
        .innerJoin('users', 'users.id', 'presented.user_id')
        .select('presented.user_id')
        .where('presented.token_hash', '=', tokenHash)
        .where('presented.kind', '=', 'verification')
        .where('presented.used_at', 'is', null)
        .where('presented.expires_at', '>', now)
        .where('users.email_verified_at', 'is', null)
        // Locks the user before any token row: the lock order of register and resend too.
        .forUpdate('users'),
    )
    .returning(['user_id', 'token_hash', 'password_hash', 'code_challenge'])
    .execute();
  const presented = rows.find((r) => r.token_hash === tokenHash);
  if (!presented) return undefined;
  return {
    userId: presented.user_id,
    passwordHash: presented.password_hash,
    codeChallenge: presented.code_challenge,
  };
}

/**
 * Whether sign-ups with other passwords than `passwordHash` asked to verify this user's address
 * within a verification token's lifetime: then a link opened outside the registering browser
 * cannot tell whose password it carries.
 */
export async function isContestedSignUp(
  db: Kysely<Database>,
  userId: string,
  passwordHash: string | null,
): Promise<boolean> {
  const row = await db
    .selectFrom('one_time_tokens')
    .select('id')
    .where('user_id', '=', userId)
    .where('kind', '=', 'verification')
    .where('created_at', '>', new Date(Date.now() - ONE_TIME_TOKEN_TTL_MS.verification))
    .where((eb) =>
      passwordHash === null
        ? eb('password_hash', 'is not', null)
        : eb.or([eb('password_hash', 'is', null), eb('password_hash', '!=', passwordHash)]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
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

/**
 * PKCE (RFC 7636, S256): whether `verifier` is the one whose base64url SHA-256 is `challenge`.
 * Constant-time in the compared bytes; false without a verifier.
 */
export function codeVerifierMatches(challenge: string, verifier: string | undefined): boolean {
  if (verifier === undefined) return false;
  const expected = Buffer.from(challenge, 'utf8');
  const actual = Buffer.from(createHash('sha256').update(verifier, 'ascii').digest('base64url'), 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
