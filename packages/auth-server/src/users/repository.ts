import type { User } from '@emotion-app/protocol';
import type { Kysely } from 'kysely';
import type { Database, UserRow } from '../db/schema.js';

type Q = Kysely<Database>;

export function findUserByEmail(db: Q, normalizedEmail: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', normalizedEmail).executeTakeFirst();
}

/** As findUserByEmail, and locks the row until the transaction ends (call it inside one). */
export function findUserByEmailForUpdate(db: Q, normalizedEmail: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', normalizedEmail)
    .forUpdate()
    .executeTakeFirst();
}

export function findUserById(db: Q, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Inserts a user unless the email is taken; returns undefined when it is (no race: ON CONFLICT). */
export function insertUser(
  db: Q,
  user: { email: string; name: string; passwordHash: string },
): Promise<UserRow | undefined> {
  return db
    .insertInto('users')
    .values({ email: user.email, name: user.name, password_hash: user.passwordHash })
    .onConflict((oc) => oc.column('email').doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Marks the email verified and, when given, sets the password hash the verification was bound to. */
export function markEmailVerified(
  db: Q,
  id: string,
  passwordHash: string | null,
): Promise<UserRow | undefined> {
  return db
    .updateTable('users')
    .set({
      email_verified_at: new Date(),
      updated_at: new Date(),
      ...(passwordHash === null ? {} : { password_hash: passwordHash }),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/**
 * A newer registration of an address whose account is not verified yet: its name and password
 * replace the earlier ones. Undefined when the account is verified (it then stays untouched).
 */
export function replaceUnverifiedRegistration(
  db: Q,
  id: string,
  registration: { name: string; passwordHash: string },
): Promise<UserRow | undefined> {
  return db
    .updateTable('users')
    .set({ name: registration.name, password_hash: registration.passwordHash, updated_at: new Date() })
    .where('id', '=', id)
    .where('email_verified_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export function updateUserName(db: Q, id: string, name: string): Promise<UserRow | undefined> {
  return db
    .updateTable('users')
    .set({ name, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function updatePasswordHash(db: Q, id: string, passwordHash: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** The public shape of a user (DESIGN §3). */
export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    emailVerified: row.email_verified_at !== null,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
