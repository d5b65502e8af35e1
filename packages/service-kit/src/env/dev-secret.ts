/**
 * Development secrets (DESIGN §2, §7): outside production, auth-server generates its JWT secret
 * and service key once into `DATA_DIR`, and emotion-api reads the same files, so `npm start`
 * needs no configuration.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The development JWT secret's file in `DATA_DIR`. */
export const DEV_JWT_SECRET_FILE = 'dev-jwt-secret';
/** The development service key's file in `DATA_DIR`. */
export const DEV_SERVICE_KEY_FILE = 'dev-service-key';

function readSecretFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').split(/\r?\n/)[0]?.trim() || undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return undefined;
  }
}

/**
 * Reads `DATA_DIR/<fileName>`, or creates it once: one line, base64url of 32 random bytes, mode
 * 0600. Two processes starting at once agree on one value.
 *
 * @example
 * ```ts
 * const secret = readOrCreateDevSecret('./data', DEV_JWT_SECRET_FILE);
 * ```
 */
export function readOrCreateDevSecret(dataDir: string, fileName: string): string {
  const file = join(dataDir, fileName);
  const existing = readSecretFile(file);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw err;
  }
  chmodSync(file, 0o600);
  return secret;
}

/**
 * Waits up to `waitMs` for `DATA_DIR/<fileName>` (written by another service) and returns its
 * first line; `undefined` when it did not appear.
 *
 * @example
 * ```ts
 * const secret = await waitForDevSecret('./data', DEV_JWT_SECRET_FILE, 10_000);
 * ```
 */
export async function waitForDevSecret(
  dataDir: string,
  fileName: string,
  waitMs: number,
): Promise<string | undefined> {
  const file = join(dataDir, fileName);
  const deadline = Date.now() + waitMs;
  for (;;) {
    const secret = readSecretFile(file);
    if (secret) return secret;
    if (Date.now() >= deadline) return undefined;
    await sleep(Math.min(250, Math.max(1, deadline - Date.now())));
  }
}
