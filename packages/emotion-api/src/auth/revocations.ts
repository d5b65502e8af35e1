/**
 * emotion-api's side of auth-server's revocation feed (DESIGN §7): follows it with the service
 * key so the local verifier answers 401 `session_revoked` within seconds of a logout, session
 * delete, password change or reset, refresh-token reuse or account deletion; reports
 * `live` / `stale` for /health; logs one warning per outage; and hands `user_deleted` events to
 * the history (that user's predictions and images are deleted).
 *
 * Nothing here blocks startup: the feed reconnects with backoff while auth-server is down, and
 * the development service key (`DATA_DIR/dev-service-key`, written by auth-server) is read once
 * it appears.
 */
import path from 'node:path';
import {
  createRevocationFeed,
  type RevocationChecker,
  type RevocationEvent,
  type RevocationFeed,
  type RevocationFeedStatus,
} from '@emotion-app/auth-client/server';
import { waitForDevSecret } from '@emotion-app/service-kit';
import type { FastifyBaseLogger } from 'fastify';

/**
 * The longest token lifetime (`exp - iat`) accepted while revocations are followed, and how long
 * an event is remembered: at least auth-server's `JWT_MAXAGE` (15 minutes by default).
 */
export const MAX_TOKEN_AGE_SEC = 3600;

export interface RevocationsOptions {
  /** auth-server's base URL. */
  authUrl: string;
  /** `AUTH_SERVICE_KEY`, when set. */
  serviceKey: string | null;
  /** The development key file to read once it appears, when no key is set. */
  serviceKeyFile: string | null;
  log: FastifyBaseLogger;
  /** Deletes a deleted account's data (called once per `user_deleted` event). */
  onUserDeleted(userId: string): Promise<unknown>;
  /** How often the development key file is looked for (ms, default 250). */
  keyPollMs?: number;
}

export interface Revocations {
  /** What the verifier consults; undefined when no feed can run (no key and no key file). */
  readonly checker: RevocationChecker | undefined;
  /** `live` while the feed's stream is connected; `stale` when it is down or not configured. */
  readonly status: RevocationFeedStatus;
  /** Stops following the feed (and looking for the key file). */
  close(): Promise<void>;
}

/** Starts following the feed in the background; never throws for an unreachable auth-server. */
export function followRevocations(options: RevocationsOptions): Revocations {
  const { log } = options;
  if (options.serviceKey === null && options.serviceKeyFile === null) {
    log.warn(
      'AUTH_SERVICE_KEY is not set: revocations are not followed (a logged-out session keeps working until its token expires)',
    );
    return { checker: undefined, status: 'stale', close: async () => {} };
  }

  let feed: RevocationFeed | undefined;
  let closed = false;
  let warned = false; // one warning per outage

  function down(err: unknown): void {
    if (closed || warned) return;
    warned = true;
    log.warn({ err }, 'revocation feed unreachable: verifying tokens by expiry alone until it is back');
  }

  function up(): void {
    if (warned) log.info('revocation feed live again');
    warned = false;
  }

  /** fetch that notices the first failure of an outage (the feed reports none before it was live). */
  const watchedFetch: typeof fetch = async (input, init) => {
    try {
      const res = await fetch(input, init);
      if (!res.ok && res.status !== 410) down(new Error(`${String(input)} answered HTTP ${res.status}`));
      return res;
    } catch (err) {
      if (!init?.signal?.aborted) down(err);
      throw err;
    }
  };

  function onEvent(event: RevocationEvent): void {
    if (event.type !== 'user_deleted' || !event.sub) return;
    const userId = event.sub;
    options.onUserDeleted(userId).then(
      (deleted) => log.info({ userId, deleted }, 'account deleted: its predictions and images removed'),
      (err: unknown) => log.error({ err, userId }, 'could not remove the data of a deleted account'),
    );
  }

  function start(serviceKey: string): void {
    feed = createRevocationFeed({
      url: options.authUrl,
      serviceKey,
      fetch: watchedFetch,
      maxTokenAgeSec: MAX_TOKEN_AGE_SEC,
      onEvent,
      onStatusChange: (status, err) => (status === 'live' ? up() : down(err)),
    });
  }

  async function readKeyFile(file: string): Promise<void> {
    const dir = path.dirname(file);
    const name = path.basename(file);
    let told = false;
    while (!closed) {
      let key: string | undefined;
      try {
        key = await waitForDevSecret(dir, name, options.keyPollMs ?? 250);
      } catch (err) {
        log.error({ err, file }, 'cannot read the development service key: revocations are not followed');
        return;
      }
      if (closed) return;
      if (key) return start(key);
      if (!told) {
        told = true;
        log.info({ file }, 'waiting for auth-server to write the development service key');
      }
    }
  }

  const keyFile = options.serviceKey === null ? options.serviceKeyFile : null;
  const waiting = keyFile ? readKeyFile(keyFile) : Promise.resolve();
  if (options.serviceKey !== null) start(options.serviceKey);

  return {
    checker: {
      isRevoked: (claims) => feed?.isRevoked(claims) ?? false,
      maxTokenAgeSec: MAX_TOKEN_AGE_SEC,
    },
    get status() {
      return feed?.status ?? 'stale';
    },
    async close() {
      closed = true;
      feed?.close();
      await waiting;
    },
  };
}
