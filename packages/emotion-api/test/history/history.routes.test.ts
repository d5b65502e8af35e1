import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_MODEL } from '../../src/models/models.catalogue.js';
import { zeroCounts } from '../../src/predictions/predictions.table.js';
import { storeDialects, type TestStore } from '../predictions/stores.js';
import type { Emotion, EmotionDetector, FaceEmotion } from '../../src/model/index.js';
import {
  type AuthServer,
  FIXTURES,
  multipart,
  type SignedInUser,
  signUp,
  startApi,
  startAuthServer,
  type TestApi,
} from '../helpers/servers.js';

/** History does not exercise the model: a detector that always sees one happy face. */
const happyFace: FaceEmotion = {
  box: { x: 10, y: 20, width: 100, height: 120 },
  emotion: 'happy',
  confidence: 0.8,
  probabilities: { ...zeroCounts(), happy: 0.8, neutral: 0.2 },
};
const fixedDetector: EmotionDetector = {
  model: 'fixed-test-detector',
  loaded: true,
  load: async () => {},
  detect: async () => [happyFace],
  close: async () => {},
};

describe('history: /logs, /images, /stats (real auth-server)', () => {
  let auth: AuthServer;
  before(async () => {
    auth = await startAuthServer();
  });
  after(() => auth?.stop());

  for (const dialect of storeDialects()) describe(`on ${dialect.name}`, () => journey(dialect));

  // The whole journey on one store: detect, list and filter, image, stats, delete.
  function journey(dialect: ReturnType<typeof storeDialects>[number]): void {
    let t: TestStore;
    let api: TestApi;
    let alice: SignedInUser;
    let bob: SignedInUser;
    let aliceDetection: { id: string; imageUrl: string };

    const as = (user: SignedInUser) => ({ authorization: `Bearer ${user.accessToken}` });
    const logs = (user: SignedInUser, query = '') =>
      api.app.inject({ method: 'GET', url: `/logs${query}`, headers: as(user) });

    before(async () => {
      t = await dialect.open();
      api = await startApi(auth.url, t.app.env, {
        detector: fixedDetector,
        ...(t.app.store ? { store: t.app.store } : {}),
      });
      alice = await signUp(api.app, auth, 'alice');
      bob = await signUp(api.app, auth, 'bob');
      const { payload, headers } = multipart(
        'image',
        readFileSync(path.join(FIXTURES, 'faces', 'Happy-test.jpg')),
      );
      const res = await api.app.inject({
        method: 'POST',
        url: '/detect',
        payload,
        headers: { ...headers, ...as(alice) },
      });
      assert.equal(res.statusCode, 200, res.body);
      aliceDetection = res.json();

      // Bob's history, written straight into the app's database: known emotions, confidences and days.
      const rows: [string, Emotion, number][] = [
        ['2026-03-01T08:00:00.000Z', 'sad', 0.3],
        ['2026-03-01T20:00:00.000Z', 'happy', 0.9],
        ['2026-03-02T12:00:00.000Z', 'angry', 0.55],
        ['2026-03-03T23:59:59.000Z', 'happy', 0.7],
      ];
      for (const [createdAt, emotion, confidence] of rows) {
        const probabilities = { ...zeroCounts(), [emotion]: confidence, neutral: 1 - confidence };
        await t.store.insert(
          {
            id: randomUUID(),
            userId: bob.userId,
            createdAt,
            emotion,
            confidence,
            probabilities,
            faces: [{ box: { x: 0, y: 0, width: 48, height: 48 }, emotion, confidence, probabilities }],
            model: 'human',
            lowConfidence: false,
          },
          Buffer.from('seeded image'),
        );
      }
    });
    after(async () => {
      await api?.close();
      await t?.cleanup();
    });

    it('lists only the caller rows, newest first, with total, limit and offset', async () => {
      const res = await logs(bob);
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.total, 4);
      assert.equal(body.limit, 20);
      assert.equal(body.offset, 0);
      assert.deepEqual(
        body.items.map((i: { createdAt: string }) => i.createdAt),
        [
          '2026-03-03T23:59:59.000Z',
          '2026-03-02T12:00:00.000Z',
          '2026-03-01T20:00:00.000Z',
          '2026-03-01T08:00:00.000Z',
        ],
      );
      const item = body.items[0];
      assert.equal(item.imageUrl, `/images/${item.id}`);
      assert.deepEqual(Object.keys(item.faces[0]).sort(), ['box', 'confidence', 'emotion', 'probabilities']);
      const page = (await logs(bob, '?limit=2&offset=1')).json();
      assert.equal(page.total, 4);
      assert.equal(page.items.length, 2);
      assert.equal(page.items[0].createdAt, '2026-03-02T12:00:00.000Z');
      assert.equal((await logs(alice)).json().total, 1);
    });

    it('filters by emotion, confidence range and dates (a bare `to` date includes that whole day)', async () => {
      const count = async (query: string) => {
        const res = await logs(bob, query);
        assert.equal(res.statusCode, 200, `${query}: ${res.body}`);
        return res.json().total as number;
      };
      assert.equal(await count('?emotion=happy'), 2);
      assert.equal(await count('?emotion=fear'), 0);
      assert.equal(await count('?minConfidence=0.5'), 3);
      assert.equal(await count('?minConfidence=0.5&maxConfidence=0.7'), 2);
      assert.equal(await count('?from=2026-03-02'), 2);
      assert.equal(await count('?to=2026-03-01'), 2);
      assert.equal(await count('?from=2026-03-01T12:00:00Z&to=2026-03-03'), 3);
      assert.equal(await count('?from=2026-03-03&to=2026-03-03'), 1);
      assert.equal(await count('?emotion=happy&from=2026-03-02'), 1);
      assert.equal(await count('?model=human'), 4);
      assert.equal(await count('?model=human&emotion=sad'), 1);
      const alices = await logs(alice, `?model=${DEFAULT_MODEL.id}`);
      assert.equal(alices.json().total, 1);
      assert.equal(alices.json().items[0].model, DEFAULT_MODEL.id);
    });

    it('answers 400 validation_failed for every invalid filter', async () => {
      for (const query of [
        '?limit=0',
        '?limit=101',
        '?limit=abc',
        '?offset=-1',
        '?emotion=joy',
        '?minConfidence=1.5',
        '?maxConfidence=-0.1',
        '?minConfidence=0.8&maxConfidence=0.2',
        '?from=yesterday',
        '?to=2026-02-30',
        '?from=2026-03-03&to=2026-03-01',
        '?model=',
        '?model=no-such-model',
      ]) {
        const res = await logs(bob, query);
        assert.equal(res.statusCode, 400, query);
        assert.equal(res.json().code, 'validation_failed', query);
        assert.ok(res.json().errors.length > 0, query);
      }
    });

    it("answers 404 for another user's image and log, and for unknown ids", async () => {
      const bobsImage = await api.app.inject({
        method: 'GET',
        url: aliceDetection.imageUrl,
        headers: as(bob),
      });
      assert.equal(bobsImage.statusCode, 404);
      assert.equal(bobsImage.json().code, 'not_found');
      const bobsDelete = await api.app.inject({
        method: 'DELETE',
        url: `/logs/${aliceDetection.id}`,
        headers: as(bob),
      });
      assert.equal(bobsDelete.statusCode, 404);
      const unknown = await api.app.inject({
        method: 'GET',
        url: `/images/${randomUUID()}`,
        headers: as(alice),
      });
      assert.equal(unknown.statusCode, 404);
      const own = await api.app.inject({ method: 'GET', url: aliceDetection.imageUrl, headers: as(alice) });
      assert.equal(own.statusCode, 200);
      assert.equal(own.headers['content-type'], 'image/jpeg');
    });

    it('never lets an image id reach the file system', async () => {
      for (const id of ['..%2Femotion.db', '..%2F..%2Fetc%2Fpasswd', 'abc', '%2Fetc%2Fpasswd']) {
        const res = await api.app.inject({ method: 'GET', url: `/images/${id}`, headers: as(alice) });
        assert.ok([400, 404].includes(res.statusCode), `${id}: ${res.statusCode}`);
        assert.notEqual(res.headers['content-type'], 'image/jpeg');
      }
    });

    it('counts by emotion and by day for the caller only', async () => {
      const res = await api.app.inject({ method: 'GET', url: '/stats', headers: as(bob) });
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.total, 4);
      assert.deepEqual(body.byEmotion, { ...zeroCounts(), happy: 2, sad: 1, angry: 1 });
      assert.deepEqual(
        body.byDay.map((d: { date: string; count: number }) => [d.date, d.count]),
        [
          ['2026-03-01', 2],
          ['2026-03-02', 1],
          ['2026-03-03', 1],
        ],
      );
      assert.equal(body.byDay[0].byEmotion.sad, 1);
      const alices = (await api.app.inject({ method: 'GET', url: '/stats', headers: as(alice) })).json();
      assert.equal(alices.total, 1);
      assert.equal(alices.byEmotion.happy, 1);
    });

    it('answers 400 validation_failed on path model for an unknown model of /logs/export', async () => {
      const res = await api.app.inject({
        method: 'GET',
        url: '/logs/export?format=csv&model=nope',
        headers: as(bob),
      });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().code, 'validation_failed');
      assert.equal(res.json().errors[0].path, 'model');
    });

    it('deletes the owner row and its image', async () => {
      // SQLite keeps images as files in DATA_DIR/images; PostgreSQL in the database.
      const files = path.join(api.config.dataDir, 'images');
      const fileCount = () => (dialect.name === 'sqlite' ? readdirSync(files).length : 0);
      const before = fileCount();
      const res = await api.app.inject({
        method: 'DELETE',
        url: `/logs/${aliceDetection.id}`,
        headers: as(alice),
      });
      assert.equal(res.statusCode, 204);
      assert.equal(res.body, '');
      assert.equal(fileCount(), dialect.name === 'sqlite' ? before - 1 : 0);
      assert.equal(await t.store.openImage(alice.userId, aliceDetection.id), undefined);
      assert.equal((await logs(alice)).json().total, 0);
      const image = await api.app.inject({ method: 'GET', url: aliceDetection.imageUrl, headers: as(alice) });
      assert.equal(image.statusCode, 404);
      const again = await api.app.inject({
        method: 'DELETE',
        url: `/logs/${aliceDetection.id}`,
        headers: as(alice),
      });
      assert.equal(again.statusCode, 404);
    });
  }
});
