/** argon2id password hashing (DESIGN §3: 19 MiB, t=2, p=1). Passwords are never truncated. */
import { hash, verify } from '@node-rs/argon2';

/** `Algorithm.Argon2id` (a const enum, which verbatimModuleSyntax cannot import). */
const ARGON2ID = 2;
import type { Argon2Cost } from '../config.js';

/**
 * Stored instead of a hash when no password may sign in (a contested sign-up confirmed elsewhere):
 * not an argon2 string, so no password ever verifies against it.
 */
export const UNUSABLE_PASSWORD_HASH = '!no-password';

export class PasswordHasher {
  readonly #cost: Argon2Cost;
  #dummy: Promise<string> | undefined;

  constructor(cost: Argon2Cost) {
    this.#cost = cost;
  }

  hash(password: string): Promise<string> {
    return hash(password, { algorithm: ARGON2ID, ...this.#cost });
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    if (passwordHash === UNUSABLE_PASSWORD_HASH) return false;
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }

  /**
   * Spends the same time as a real verification, for logins with an unknown email, so the
   * response time does not reveal whether an account exists.
   */
  async verifyDummy(password: string): Promise<void> {
    this.#dummy ??= this.hash('dummy password that never matches anything');
    await this.verify(await this.#dummy, password);
  }
}
