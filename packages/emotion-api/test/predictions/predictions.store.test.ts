/** The PredictionStore contract, run on every store (SQLite, PGlite, and PostgreSQL with TEST_DATABASE_URL). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PredictionStore } from '../../src/predictions/predictions.store.js';
import { type Prediction, zeroCounts } from '../../src/predictions/predictions.table.js';
import { bytesOf, jpegOf, prediction } from './fixtures.js';
import { storeDialects, type TestStore } from './stores.js';

const alice = 'user-alice';
const bob = 'user-bob';

async function all(it: AsyncIterable<Prediction>): Promise<Prediction[]> {
  const out: Prediction[] = [];
  for await (const p of it) out.push(p);
  return out;
}

for (const dialect of storeDialects()) {
  describe(`PredictionStore on ${dialect.name}`, () => {
    let t: TestStore;
    let store: PredictionStore;
    const rows = [
      prediction(alice, '2026-01-01T10:00:00.000Z', 'happy', 0.9),
      prediction(alice, '2026-01-01T12:00:00.000Z', 'sad', 0.4, 'faceapi'),
      prediction(alice, '2026-01-02T09:00:00.000Z', 'happy', 0.6),
      prediction(bob, '2026-01-02T09:30:00.000Z', 'angry', 0.7),
    ];

    before(async () => {
      t = await dialect.open();
      store = t.store;
      for (const p of rows) await store.insert(p, jpegOf(p.id));
    });
    after(() => t.cleanup());

    it('lists only the owner rows, newest first, with the total, page by page', async () => {
      const { items, total } = await store.list(alice, { limit: 2, offset: 0 });
      assert.equal(total, 3);
      assert.deepEqual(
        items.map((p) => p.createdAt),
        ['2026-01-02T09:00:00.000Z', '2026-01-01T12:00:00.000Z'],
      );
      assert.ok(items.every((p) => p.userId === alice));
      const page2 = await store.list(alice, { limit: 2, offset: 2 });
      assert.equal(page2.total, 3);
      assert.deepEqual(page2.items, [rows[0]]);
      assert.deepEqual(await store.list(alice, { limit: 2, offset: 10 }), { items: [], total: 3 });
      assert.deepEqual(await store.list('nobody', { limit: 2, offset: 0 }), { items: [], total: 0 });
    });

    it('returns a stored prediction exactly as it was given', async () => {
      assert.deepEqual(await store.find(alice, rows[1]?.id ?? ''), rows[1]);
    });

    it('filters by emotion, model, confidence range and time range', async () => {
      const happy = await store.list(alice, { limit: 10, offset: 0, emotion: 'happy' });
      assert.equal(happy.total, 2);
      const faceapi = await store.list(alice, { limit: 10, offset: 0, model: 'faceapi' });
      assert.deepEqual(
        faceapi.items.map((p) => p.id),
        [rows[1]?.id],
      );
      const confident = await store.list(alice, {
        limit: 10,
        offset: 0,
        minConfidence: 0.5,
        maxConfidence: 0.8,
      });
      assert.deepEqual(
        confident.items.map((p) => p.confidence),
        [0.6],
      );
      const day1 = await store.list(alice, {
        limit: 1,
        offset: 0,
        from: '2026-01-01T00:00:00.000Z',
        toExclusive: '2026-01-02T00:00:00.000Z',
      });
      assert.equal(day1.total, 2);
      assert.equal(day1.items[0]?.createdAt, '2026-01-01T12:00:00.000Z');
    });

    it('keeps the image with its row and gives it only to the owner', async () => {
      const [first] = rows as [Prediction];
      assert.deepEqual(await bytesOf(await store.openImage(alice, first.id)), jpegOf(first.id));
      assert.equal(await store.openImage(bob, first.id), undefined);
      assert.equal(await store.openImage(alice, 'not-a-uuid'), undefined);
    });

    it('refuses a second row with the same id and keeps the first image', async () => {
      const [first] = rows as [Prediction];
      await assert.rejects(store.insert({ ...first }, jpegOf('other')));
      assert.deepEqual(await bytesOf(await store.openImage(alice, first.id)), jpegOf(first.id));
    });

    it('counts by emotion and by UTC day', async () => {
      const stats = await store.stats(alice);
      assert.equal(stats.total, 3);
      assert.deepEqual(stats.byEmotion, { ...zeroCounts(), happy: 2, sad: 1 });
      assert.deepEqual(
        stats.byDay.map((d) => [d.date, d.count, d.byEmotion.happy]),
        [
          ['2026-01-01', 2, 1],
          ['2026-01-02', 1, 1],
        ],
      );
      assert.deepEqual(await store.stats('nobody'), { total: 0, byEmotion: zeroCounts(), byDay: [] });
    });

    it('iterates every match newest first in keyset pages, rows of the same millisecond included once', async () => {
      const carol = 'user-carol';
      const same = '2026-02-01T00:00:00.000Z';
      const stored = [0, 1, 2, 3, 4].map((i) =>
        prediction(carol, i < 3 ? same : `2026-02-0${i}T00:00:00.000Z`, 'fear', 0.5),
      );
      for (const p of stored) await store.insert(p, jpegOf(p.id));
      const seen = await all(store.iterate(carol, {}, 2));
      assert.deepEqual(
        seen.map((p) => p.id),
        [stored[4], stored[3], stored[2], stored[1], stored[0]].map((p) => p?.id),
      );
      const page = await store.list(carol, { limit: 5, offset: 0 });
      assert.deepEqual(
        page.items.map((p) => p.id),
        seen.map((p) => p.id),
      );
      assert.equal(
        (await all(store.iterate(carol, { from: same, toExclusive: '2026-02-01T00:00:00.001Z' }, 2))).length,
        3,
      );
      assert.equal(await store.removeUser(carol), 5);
    });

    it('deletes only rows of their owner, with their image', async () => {
      const bobs = rows[3] as Prediction;
      assert.equal(await store.remove(alice, bobs.id), false);
      assert.equal((await store.find(bob, bobs.id))?.emotion, 'angry');
      assert.equal(await store.remove(bob, bobs.id), true);
      assert.equal(await store.find(bob, bobs.id), undefined);
      assert.equal(await store.openImage(bob, bobs.id), undefined);
      assert.equal(await store.remove(bob, bobs.id), false);
    });

    it('deletes every row and image of a user, once', async () => {
      assert.equal(await store.removeUser(alice), 3);
      assert.equal(await store.openImage(alice, rows[0]?.id ?? ''), undefined);
      assert.equal(await store.removeUser(alice), 0);
      await store.ping();
    });
  });
}
