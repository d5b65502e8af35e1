/**
 * The key ring of the asymmetric modes (DESIGN §7). The rows of `signing_keys` are the only state:
 * sorted by `activates_at`, the latest key already active is `current` (it signs), later ones are
 * `next` (published, not signing yet), earlier ones `previous` (published until every token they
 * signed has expired: the successor's activation + JWT_MAXAGE + 60 s; then deleted). Every
 * instance derives the same statuses from the same rows, re-reads them every 5 s, and at once
 * (at most once a second) when it meets an unknown kid, so a rotation through one instance is
 * seen by all. The status derivation and the check of a row's public key are in statuses.ts;
 * this file keeps the ring's cache of imported and opened keys and its reload loop.
 */
import type { KeyObject } from 'node:crypto';
import type { JwksResponse, SigningKeyInfo } from '@emotion-app/protocol';
import type { AsymmetricAlgorithm, TokenHeader } from '@emotion-app/protocol/jwt';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/connect.js';
import { newKeyMaterial, openPrivateKey, signingKeySealingKey } from './material.js';
import {
  deletePendingKeys,
  deleteSigningKeys,
  insertSigningKey,
  listSigningKeys,
  type SigningKeyRow,
  withRingLock,
} from './repository.js';
import {
  checkedKey,
  deriveStatuses,
  type CheckedKey,
  checkedKeyActivation,
  type KeyStatus,
  rowActivation,
} from './statuses.js';

export { deriveStatuses, type KeyStatus } from './statuses.js';

/** A previous key stays published this long after its successor's activation, beyond JWT_MAXAGE. */
export const PREVIOUS_KEY_GRACE_MS = 60_000;
/** How often the ring re-reads the table. */
export const RING_RELOAD_MS = 5_000;
/** The least time between two reloads caused by unknown kids. */
export const UNKNOWN_KID_RELOAD_MS = 1_000;

export interface KeyRingOptions {
  /** The algorithm of keys this instance creates (JWT_ALG). */
  alg: AsymmetricAlgorithm;
  /** JWT_SECRET_KEY: private keys are sealed under a key derived from it. */
  secret: string;
  /** Access-token lifetime: how long a replaced key must keep verifying. */
  accessTtlSeconds: number;
  /** KEY_ROTATION_DELAY_SECONDS. */
  rotationDelaySeconds: number;
  log: FastifyBaseLogger;
  /** Re-read interval (default {@link RING_RELOAD_MS}). */
  reloadMs?: number;
  /** Clock in ms (default `Date.now`). */
  now?: () => number;
}

/** The key that signs now. */
export interface SigningKey {
  kid: string;
  alg: AsymmetricAlgorithm;
  privateKey: KeyObject;
}

export class KeyRing {
  readonly #db: Db;
  readonly #options: KeyRingOptions;
  readonly #sealing: Buffer;
  readonly #now: () => number;
  readonly #retentionMs: number;
  #entries: CheckedKey[] = [];
  #byKid = new Map<string, CheckedKey>();
  readonly #privateKeys = new Map<string, KeyObject>();
  #timer: NodeJS.Timeout | undefined;
  #reloading: Promise<void> | undefined;
  #lastUnknownKidReload = 0;
  /** Whether the timer's last re-read failed (a failing streak is logged once, not every interval). */
  #reloadFailing = false;

  private constructor(db: Db, options: KeyRingOptions) {
    this.#db = db;
    this.#options = options;
    this.#sealing = signingKeySealingKey(options.secret);
    this.#now = options.now ?? Date.now;
    this.#retentionMs = options.accessTtlSeconds * 1000 + PREVIOUS_KEY_GRACE_MS;
  }

  /** Loads the ring, creating a current key of `options.alg` when there is no usable one, and starts re-reading it. */
  static async open(db: Db, options: KeyRingOptions): Promise<KeyRing> {
    const ring = new KeyRing(db, options);
    await ring.ensureUsableKey();
    ring.#timer = setInterval(() => void ring.#periodicReload(), options.reloadMs ?? RING_RELOAD_MS);
    ring.#timer.unref();
    return ring;
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * The timer's re-read. While it fails (the database is down) the keys already loaded keep signing
   * and verifying; the failure is logged once, and again when re-reading works, not every interval.
   */
  async #periodicReload(): Promise<void> {
    try {
      await this.reload();
      if (this.#reloadFailing) this.#options.log.info('key ring: reload works again');
      this.#reloadFailing = false;
    } catch (err) {
      if (!this.#reloadFailing) {
        this.#options.log.error(
          { err },
          'key ring: reload failed; keeping the loaded keys and retrying quietly',
        );
      }
      this.#reloadFailing = true;
    }
  }

  /** Re-reads the table (concurrent calls share one read) and deletes previous keys past retention. */
  reload(): Promise<void> {
    this.#reloading ??= this.#load().finally(() => {
      this.#reloading = undefined;
    });
    return this.#reloading;
  }

  async #load(): Promise<void> {
    const rows = await listSigningKeys(this.#db);
    const { live, expired } = deriveStatuses(rows, rowActivation, this.#now(), this.#retentionMs);
    const entries: CheckedKey[] = [];
    for (const { key: row } of live) {
      const entry = this.#import(row);
      if (entry) entries.push(entry);
    }
    this.#entries = entries;
    this.#byKid = new Map(entries.map((e) => [e.row.kid, e]));
    for (const kid of this.#privateKeys.keys()) if (!this.#byKid.has(kid)) this.#privateKeys.delete(kid);
    if (expired.length > 0) {
      await deleteSigningKeys(
        this.#db,
        expired.map((r) => r.kid),
      );
    }
  }

  /** Imports a row's public key; undefined (and an error logged) for a row that does not check out. */
  #import(row: SigningKeyRow): CheckedKey | undefined {
    const known = this.#byKid.get(row.kid);
    if (known && known.row.public_jwk === row.public_jwk) return { ...known, row };
    try {
      return checkedKey(row);
    } catch (err) {
      this.#options.log.error({ err, kid: row.kid }, 'key ring: ignoring an unusable signing key');
      return undefined;
    }
  }

  #privateKey(row: SigningKeyRow): KeyObject {
    let key = this.#privateKeys.get(row.kid);
    if (!key) {
      key = openPrivateKey(this.#sealing, row.kid, row.sealed_private);
      this.#privateKeys.set(row.kid, key);
    }
    return key;
  }

  /** The published keys with their status now, newest first. */
  #statuses(): KeyStatus<CheckedKey>[] {
    return deriveStatuses(this.#entries, checkedKeyActivation, this.#now(), this.#retentionMs).live.reverse();
  }

  /** The key that signs now; throws when the ring has none (or cannot open it). */
  signingKey(): SigningKey {
    const current = this.#statuses().find((s) => s.status === 'current');
    if (!current) throw new Error('key ring: there is no current signing key');
    const { row } = current.key;
    return { kid: row.kid, alg: row.alg, privateKey: this.#privateKey(row) };
  }

  /**
   * The verification key resolver of the ring (for protocol's `createTokenVerifier({ keys })`):
   * synchronous for a known kid; an unknown kid re-reads the table first, at most once a second.
   */
  readonly resolve = (header: TokenHeader): KeyObject | undefined | Promise<KeyObject | undefined> => {
    const { kid } = header;
    if (kid === undefined) return undefined;
    const entry = this.#byKid.get(kid);
    if (entry) return entry.publicKey;
    const now = this.#now();
    if (now - this.#lastUnknownKidReload < UNKNOWN_KID_RELOAD_MS) return undefined;
    this.#lastUnknownKidReload = now;
    return this.reload().then(
      () => this.#byKid.get(kid)?.publicKey,
      (err: unknown) => {
        this.#options.log.error({ err }, 'key ring: reload failed');
        return undefined;
      },
    );
  };

  /** `GET /.well-known/jwks.json`: the public keys of next, current and previous keys. */
  jwks(): JwksResponse {
    return {
      keys: this.#statuses().map(({ key: { row, jwk } }) => ({
        ...jwk,
        kid: row.kid,
        alg: row.alg,
        use: 'sig' as const,
      })),
    };
  }

  /** `GET /api/admin/keys`: newest first. */
  list(): SigningKeyInfo[] {
    return this.#statuses().map(({ key: { row }, status }) => ({
      kid: row.kid,
      alg: row.alg,
      status,
      createdAt: row.created_at.toISOString(),
    }));
  }

  /**
   * Adds a key of `options.alg`, published at once, signing after KEY_ROTATION_DELAY_SECONDS (or at
   * once when `immediate`); a still pending `next` key is replaced.
   */
  async rotate(immediate: boolean): Promise<SigningKeyInfo[]> {
    const material = await newKeyMaterial(this.#options.alg, this.#sealing);
    const delayMs = immediate ? 0 : this.#options.rotationDelaySeconds * 1000;
    await withRingLock(this.#db, async (trx) => {
      const now = new Date(this.#now());
      await deletePendingKeys(trx, now);
      await insertSigningKey(trx, material, new Date(now.getTime() + delayMs));
    });
    this.#privateKeys.set(material.kid, material.privateKey);
    await this.reload();
    this.#options.log.info(
      { kid: material.kid, alg: material.alg, immediate },
      'key ring: rotated in a new signing key',
    );
    return this.list();
  }

  /**
   * First start: unless the current key is of the configured algorithm and opens with this
   * JWT_SECRET_KEY, a new key is created and made current now. Serialized by an advisory lock, so
   * concurrent first starts create one key.
   */
  async ensureUsableKey(): Promise<void> {
    const created = await withRingLock(this.#db, async (trx) => {
      const rows = await listSigningKeys(trx);
      const current = deriveStatuses(rows, rowActivation, this.#now(), this.#retentionMs).live.find(
        (s) => s.status === 'current',
      )?.key;
      if (current && current.alg === this.#options.alg && this.#opens(current)) return undefined;
      const material = await newKeyMaterial(this.#options.alg, this.#sealing);
      await insertSigningKey(trx, material, new Date(this.#now()));
      this.#privateKeys.set(material.kid, material.privateKey);
      return { material, replaced: current?.kid };
    });
    await this.reload();
    if (created) {
      this.#options.log.info(
        { kid: created.material.kid, alg: created.material.alg, replaced: created.replaced },
        'key ring: created a signing key',
      );
    }
  }

  #opens(row: SigningKeyRow): boolean {
    try {
      this.#privateKey(row);
      return true;
    } catch (err) {
      this.#options.log.error(
        { err, kid: row.kid },
        'key ring: the current signing key does not open with this JWT_SECRET_KEY',
      );
      return false;
    }
  }
}
