import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { PredictionQuery } from '../../src/predictions/predictions.store.js';
import { type Prediction, zeroCounts } from '../../src/predictions/predictions.table.js';
import { storeDialects, type TestStore } from '../predictions/stores.js';
import { EMOTIONS, type Emotion } from '@emotion-app/protocol';
import type { EmotionDetector } from '../../src/model/index.js';
import {
  type AuthServer,
  type SignedInUser,
  signUp,
  startApi,
  startAuthServer,
  type TestApi,
} from '../helpers/servers.js';

const HEADER = 'id,createdAt,emotion,confidence,faces,angry,disgust,fear,happy,neutral,sad,surprise';

/** Export never runs the model: rows are written straight into the database. */
const noDetector: EmotionDetector = {
  model: 'unused',
  loaded: true,
  load: async () => {},
  detect: async () => [],
  close: async () => {},
};

function prediction(
  userId: string,
  createdAt: string,
  emotion: Emotion,
  confidence: number,
  faces = 1,
): Prediction {
  const probabilities = { ...zeroCounts(), [emotion]: confidence, neutral: 1 - confidence };
  const face = { box: { x: 0, y: 0, width: 48, height: 48 }, emotion, confidence, probabilities };
  const other = { ...face, box: { x: 60, y: 0, width: 30, height: 30 }, emotion: 'fear' as const };
  return {
    id: randomUUID(),
    userId,
    createdAt,
    emotion,
    confidence,
    probabilities,
    faces: faces === 1 ? [face] : [face, ...Array.from({ length: faces - 1 }, () => other)],
    model: 'human',
    lowConfidence: confidence < 0.4,
  };
}

/** A CSV body as records of fields (the exported fields never need quoting: ids, dates, labels, numbers). */
function parseCsv(body: string): string[][] {
  assert.ok(body.endsWith('\r\n'), 'the last record ends with CRLF');
  assert.ok(!/[^\r]\n/.test(body), 'every line ends with CRLF');
  return body
    .slice(0, -2)
    .split('\r\n')
    .map((line) => line.split(','));
}

const jpeg = Buffer.from('stored image');

describe('GET /logs/export (real auth-server)', () => {
  let auth: AuthServer;
  before(async () => {
    auth = await startAuthServer();
  });
  after(() => auth?.stop());

  for (const dialect of storeDialects()) describe(`on ${dialect.name}`, () => exportSuite(dialect));

  function exportSuite(dialect: ReturnType<typeof storeDialects>[number]): void {
    let t: TestStore;
    let api: TestApi;
    let alice: SignedInUser;
    let bob: SignedInUser;
    let aliceRowId: string;

    const as = (user: SignedInUser) => ({ authorization: `Bearer ${user.accessToken}` });
    const exportAs = (user: SignedInUser, query: string) =>
      api.app.inject({ method: 'GET', url: `/logs/export${query}`, headers: as(user) });
    const logItems = async (user: SignedInUser, filters: string) => {
      const res = await api.app.inject({
        method: 'GET',
        url: `/logs?limit=100${filters ? `&${filters}` : ''}`,
        headers: as(user),
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().items as { id: string; probabilities: Record<string, number> }[];
    };

    before(async () => {
      t = await dialect.open();
      api = await startApi(auth.url, t.app.env, {
        detector: noDetector,
        ...(t.app.store ? { store: t.app.store } : {}),
      });
      alice = await signUp(api.app, auth, 'alice');
      bob = await signUp(api.app, auth, 'bob');
      const rows: [string, Emotion, number, number?][] = [
        ['2026-03-01T08:00:00.000Z', 'sad', 0.3],
        ['2026-03-01T20:00:00.000Z', 'happy', 0.9, 3],
        ['2026-03-02T12:00:00.000Z', 'angry', 0.55],
        ['2026-03-03T23:59:59.000Z', 'happy', 0.7],
      ];
      for (const [createdAt, emotion, confidence, faces] of rows) {
        await t.store.insert(prediction(bob.userId, createdAt, emotion, confidence, faces), jpeg);
      }
      const aliceRow = prediction(alice.userId, '2026-03-02T09:00:00.000Z', 'surprise', 0.6);
      await t.store.insert(aliceRow, jpeg);
      aliceRowId = aliceRow.id;
    });
    after(async () => {
      await api?.close();
      await t?.cleanup();
    });

    it('CSV: header row, then one record per prediction with the /logs numbers, newest first', async () => {
      const res = await exportAs(bob, '?format=csv');
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
      const [header, ...records] = parseCsv(res.body);
      assert.equal(header?.join(','), HEADER);
      const items = (await api.app
        .inject({ method: 'GET', url: '/logs?limit=100', headers: as(bob) })
        .then((r) => r.json().items)) as {
        id: string;
        createdAt: string;
        emotion: string;
        confidence: number;
        faces: { probabilities: Record<string, number> }[];
        probabilities: Record<string, number>;
      }[];
      assert.equal(records.length, 4);
      assert.deepEqual(
        records,
        items.map((i) => [
          i.id,
          i.createdAt,
          i.emotion,
          String(i.confidence),
          String(i.faces.length),
          ...EMOTIONS.map((e) => String(i.faces[0]?.probabilities[e])),
        ]),
      );
      assert.deepEqual(
        records.map((r) => r[4]),
        ['1', '1', '3', '1'],
      );
    });

    it('JSON: exactly the /logs items for the same filters', async () => {
      for (const filters of ['', 'emotion=happy', 'minConfidence=0.5&maxConfidence=0.7', 'from=2026-03-02']) {
        const res = await exportAs(bob, `?format=json${filters ? `&${filters}` : ''}`);
        assert.equal(res.statusCode, 200, res.body);
        assert.match(String(res.headers['content-type']), /^application\/json/);
        assert.deepEqual(res.json(), await logItems(bob, filters), filters);
      }
      const none = await exportAs(bob, '?format=json&emotion=fear');
      assert.deepEqual(none.json(), []);
      const noneCsv = await exportAs(bob, '?format=csv&emotion=fear');
      assert.equal(noneCsv.body, `${HEADER}\r\n`);
    });

    it('applies the /logs filters: emotion, confidence range and dates', async () => {
      const ids = async (filters: string) => {
        const res = await exportAs(bob, `?format=csv&${filters}`);
        assert.equal(res.statusCode, 200, `${filters}: ${res.body}`);
        const exported = parseCsv(res.body)
          .slice(1)
          .map((r) => r[0]);
        assert.deepEqual(
          exported,
          (await logItems(bob, filters)).map((i) => i.id),
          filters,
        );
        return exported.length;
      };
      assert.equal(await ids('emotion=happy'), 2);
      assert.equal(await ids('minConfidence=0.5'), 3);
      assert.equal(await ids('minConfidence=0.5&maxConfidence=0.7'), 2);
      assert.equal(await ids('from=2026-03-02'), 2);
      assert.equal(await ids('to=2026-03-01'), 2);
      assert.equal(await ids('from=2026-03-01T12:00:00Z&to=2026-03-03'), 3);
      assert.equal(await ids('emotion=happy&from=2026-03-02'), 1);
    });

    it("never exports another user's rows", async () => {
      const bobs = await exportAs(bob, '?format=json');
      assert.ok(!bobs.body.includes(aliceRowId));
      const alices = (await exportAs(alice, '?format=json')).json() as { id: string }[];
      assert.deepEqual(
        alices.map((i) => i.id),
        [aliceRowId],
      );
      const alicesCsv = parseCsv((await exportAs(alice, '?format=csv')).body);
      assert.equal(alicesCsv.length, 2);
      assert.equal(alicesCsv[1]?.[0], aliceRowId);
    });

    it('names the attachment emotions-<UTC date>.csv or .json', async () => {
      for (const format of ['csv', 'json']) {
        const before = new Date().toISOString().slice(0, 10);
        const res = await exportAs(bob, `?format=${format}`);
        const after = new Date().toISOString().slice(0, 10);
        const disposition = String(res.headers['content-disposition']);
        assert.ok(
          [before, after].some((d) => disposition === `attachment; filename="emotions-${d}.${format}"`),
          disposition,
        );
      }
    });

    it('answers 400 validation_failed for a missing or unknown format and for a bad filter', async () => {
      for (const query of ['', '?format=xml', '?format=CSV', '?format=', '?emotion=happy']) {
        const res = await exportAs(bob, query);
        assert.equal(res.statusCode, 400, query);
        assert.match(String(res.headers['content-type']), /^application\/problem\+json/, query);
        assert.equal(res.json().code, 'validation_failed', query);
        assert.deepEqual(
          res.json().errors.map((e: { path: string }) => e.path),
          ['format'],
          query,
        );
      }
      for (const query of [
        '?format=csv&emotion=joy',
        '?format=csv&minConfidence=1.5',
        '?format=json&minConfidence=0.8&maxConfidence=0.2',
        '?format=csv&from=yesterday',
        '?format=csv&to=2026-02-30',
        '?format=json&from=2026-03-03&to=2026-03-01',
      ]) {
        const res = await exportAs(bob, query);
        assert.equal(res.statusCode, 400, query);
        assert.equal(res.json().code, 'validation_failed', query);
        assert.ok(res.json().errors.length > 0, query);
      }
    });

    it('answers 401 without a token', async () => {
      for (const format of ['csv', 'json']) {
        const res = await api.app.inject({ method: 'GET', url: `/logs/export?format=${format}` });
        assert.equal(res.statusCode, 401);
        assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
      }
    });

    it('is in the OpenAPI document under history, secured', async () => {
      const doc = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json();
      const op = doc.paths['/logs/export'].get;
      assert.deepEqual(op.tags, ['history']);
      assert.ok(op.summary);
      assert.deepEqual(op.security, [{ bearerAuth: [] }, { cookieAuth: [] }]);
      const format = op.parameters.find((p: { name: string }) => p.name === 'format');
      assert.equal(format.required, true);
      assert.deepEqual(format.schema.enum, ['csv', 'json']);
      assert.ok(op.responses['200'].content['text/csv']);
      assert.ok(op.responses['200'].content['application/json']);
    });

    describe('many rows', () => {
      const carol = `user-${randomUUID()}`;
      const ids = async (query: PredictionQuery, batchSize: number) => {
        const out: string[] = [];
        for await (const p of t.store.iterate(carol, query, batchSize)) out.push(p.id);
        return out;
      };
      const listed = async (query: PredictionQuery) =>
        (await t.store.list(carol, { ...query, limit: 5000, offset: 0 })).items.map((p) => p.id);
      before(async () => {
        // 1203 rows, many sharing a timestamp, so pages break inside runs of equal created_at.
        for (let i = 0; i < 1203; i++) {
          const second = String(Math.floor(i / 7) % 60).padStart(2, '0');
          const minute = String(Math.floor(i / 420)).padStart(2, '0');
          await t.store.insert(
            prediction(carol, `2026-04-01T10:${minute}:${second}.000Z`, 'happy', 0.5),
            jpeg,
          );
        }
      });

      it('reads every row once, in the /logs order, page after page', async () => {
        const expected = await listed({});
        assert.equal(expected.length, 1203);
        for (const batchSize of [7, 500, 5000]) {
          assert.deepEqual(await ids({}, batchSize), expected, `batch ${batchSize}`);
        }
        const from = { from: '2026-04-01T10:01:00.000Z' };
        assert.deepEqual(await ids(from, 50), await listed(from));
      });

      it('keeps the database usable between pages of an export', async () => {
        const rows = t.store.iterate(carol, {}, 10);
        assert.equal((await rows.next()).done, false);
        // With an open better-sqlite3 cursor this would throw "This database connection is busy".
        await t.store.insert(prediction(carol, '2020-01-01T00:00:00.000Z', 'sad', 0.2), jpeg);
        let count = 1;
        for await (const _ of rows) count++;
        assert.equal(count, 1204);
      });
    });
  }
});
