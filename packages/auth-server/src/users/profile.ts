/** The signed-in user's own record. */
import type { AppContext } from '../context.js';
import type { UserRow } from '../db/schema.js';
import { ProblemError } from '@emotion-app/protocol';
import { findUserById, updateUserName } from './repository.js';

export async function requireUser(ctx: AppContext, userId: string): Promise<UserRow> {
  const user = await findUserById(ctx.db, userId);
  if (!user) throw new ProblemError({ code: 'invalid_token', detail: 'The account no longer exists.' });
  return user;
}

export async function renameUser(ctx: AppContext, userId: string, name: string): Promise<UserRow> {
  const user = await updateUserName(ctx.db, userId, name.trim() || name);
  if (!user) throw new ProblemError({ code: 'invalid_token', detail: 'The account no longer exists.' });
  return user;
}
