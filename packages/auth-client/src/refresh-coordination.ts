/// <reference lib="dom" />
/**
 * Cross-tab coordination of refreshes in browsers: the time of the last successful refresh is kept
 * in IndexedDB and read/written while holding the Web Lock the refresh runs under.
 *
 * Why not localStorage: Chromium propagates localStorage writes to other tabs asynchronously, so a
 * tab that gets the lock right after another tab refreshed can still read the old time and refresh
 * a second time. IndexedDB transactions are ordered by the browser: a write committed before the
 * lock is released is seen by the next holder.
 */
import type { LockManagerLike, RefreshMarker } from './session-fetch.js';

const DB_NAME = 'auth-client-session';
const STORE = 'refresh';
const KEY = 'refreshed-at';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function run<T>(mode: IDBTransactionMode, action: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return openDb().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const transaction = db.transaction(STORE, mode);
        const request = action(transaction.objectStore(STORE));
        transaction.oncomplete = () => {
          db.close();
          resolve(request.result);
        };
        transaction.onerror = () => {
          db.close();
          reject(transaction.error);
        };
        transaction.onabort = () => {
          db.close();
          reject(transaction.error);
        };
      }),
  );
}

export interface RefreshCoordination {
  locks: LockManagerLike | null;
  refreshMarker: RefreshMarker | null;
}

/**
 * Web Locks plus an IndexedDB marker, or `undefined` where either is missing (Node, old browsers).
 */
export function indexedDbCoordination(): RefreshCoordination | undefined {
  const nav = globalThis.navigator as (Navigator & { locks?: LockManager }) | undefined;
  if (!nav?.locks || typeof indexedDB === 'undefined') return undefined;
  const webLocks = nav.locks;

  let refreshedAt = 0;
  let pendingWrite: Promise<unknown> = Promise.resolve();

  const refreshMarker: RefreshMarker = {
    read: () => refreshedAt,
    write: (atMs) => {
      refreshedAt = Math.max(refreshedAt, atMs);
      pendingWrite = run('readwrite', (store) => store.put(refreshedAt, KEY)).catch(() => undefined);
    },
  };

  const locks: LockManagerLike = {
    request: <T>(name: string, callback: () => Promise<T>) =>
      webLocks.request(name, async () => {
        // Learn what the previous holder wrote, then keep the lock until our own write is committed.
        const stored = await run<unknown>('readonly', (store) => store.get(KEY)).catch(() => 0);
        if (typeof stored === 'number') refreshedAt = Math.max(refreshedAt, stored);
        try {
          return await callback();
        } finally {
          await pendingWrite;
        }
      }) as Promise<T>,
  };

  return { locks, refreshMarker };
}
