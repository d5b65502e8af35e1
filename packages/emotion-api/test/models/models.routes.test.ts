import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createEmotionDetector, type EmotionDetector } from '../../src/model/index.js';
import { DEFAULT_MODEL, findModel, MODEL_IDS, MODELS } from '../../src/models/models.catalogue.js';
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

const photo = (name: string) => readFileSync(path.join(FIXTURES, 'faces', name));

describe('the model catalogue', () => {
  it('has unique ids and exactly one default, which findModel gives when no id is named', () => {
    assert.equal(new Set(MODEL_IDS).size, MODELS.length);
    assert.deepEqual(
      MODELS.filter((m) => m.default),
      [DEFAULT_MODEL],
    );
    assert.equal(findModel(undefined), DEFAULT_MODEL);
    assert.equal(findModel('human')?.id, 'human');
    assert.equal(findModel('faceapi')?.id, 'faceapi');
    assert.equal(DEFAULT_MODEL.id, 'ensemble');
    assert.equal(findModel('nope'), undefined);
  });
});

describe('GET /models and POST /detect?model= (real auth-server, real model)', () => {
  let auth: AuthServer;
  let api: TestApi;
  let user: SignedInUser;
  let detector: EmotionDetector;

  before(async () => {
    auth = await startAuthServer();
    detector = createEmotionDetector({ workers: 1 });
    await detector.load();
    api = await startApi(auth.url, {}, { detector });
    user = await signUp(api.app, auth, 'models');
  });
  after(async () => {
    await api?.close();
    await auth?.stop();
    await detector?.close();
  });

  const bearer = () => ({ authorization: `Bearer ${user.accessToken}` });
  const detect = (query: string, name = 'Happy-test.jpg') => {
    const body = multipart('image', photo(name));
    return api.app.inject({
      method: 'POST',
      url: `/detect${query}`,
      payload: body.payload,
      headers: { ...body.headers, ...bearer() },
    });
  };
  const stored = async () => {
    const logs = await api.app.inject({ method: 'GET', url: '/logs', headers: bearer() });
    return { rows: logs.json().total as number, files: readdirSync(path.join(api.dataDir, 'images')).length };
  };

  it('lists the models, each with id, name, description and default, exactly one the default', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/models', headers: bearer() });
    assert.equal(res.statusCode, 200, res.body);
    const { models } = res.json() as { models: Record<string, unknown>[] };
    assert.ok(models.length >= 1);
    for (const m of models) {
      assert.deepEqual(Object.keys(m).sort(), ['default', 'description', 'id', 'name']);
      assert.equal(typeof m.id, 'string');
      assert.equal(typeof m.name, 'string');
      assert.equal(typeof m.description, 'string');
      assert.equal(typeof m.default, 'boolean');
    }
    const defaults = models.filter((m) => m.default === true);
    assert.equal(defaults.length, 1);
    assert.equal(defaults[0]?.id, 'ensemble');
    assert.deepEqual(
      models.map((m) => m.id),
      ['ensemble', 'human', 'faceapi'],
    );
  });

  it('answers 401 without a token', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/models' });
    assert.equal(res.statusCode, 401);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  });

  it('documents GET /models and the model query of POST /detect', async () => {
    const doc = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json();
    assert.ok(doc.paths['/models'].get.responses['200']);
    const param = doc.paths['/detect'].post.parameters.find((p: { name: string }) => p.name === 'model');
    assert.equal(param.in, 'query');
    assert.deepEqual(param.schema.enum, [...MODEL_IDS]);
  });

  it('detects with each model and with none (the default), answering and storing the id used', async () => {
    const before = await stored();
    const answers = new Map<string, Record<string, number>>();
    for (const [query, id] of [
      ['?model=human', 'human'],
      ['?model=faceapi', 'faceapi'],
      ['?model=ensemble', 'ensemble'],
      ['', 'ensemble'],
    ] as const) {
      const res = await detect(query);
      assert.equal(res.statusCode, 200, `${query}: ${res.body}`);
      assert.equal(res.json().emotion, 'happy', query);
      assert.equal(res.json().model, id, query);
      const probabilities = res.json().probabilities as Record<string, number>;
      const total = Object.values(probabilities).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(total - 1) < 1e-6, `${query}: probabilities sum to ${total}`);
      answers.set(query, probabilities);
    }
    // Each model really ran: the networks read the same face differently; the default is the ensemble.
    assert.notDeepEqual(answers.get('?model=human'), answers.get('?model=faceapi'));
    assert.deepEqual(answers.get(''), answers.get('?model=ensemble'));
    assert.deepEqual(await stored(), { rows: before.rows + 4, files: before.files + 4 });
  });

  it('answers 400 validation_failed on the path model for an unknown model, storing nothing', async () => {
    const before = await stored();
    for (const query of ['?model=nope', '?model=', '?model=HUMAN']) {
      const res = await detect(query);
      assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', query);
      assert.equal(res.json().code, 'validation_failed', query);
      const errors = res.json().errors as { path: string; message: string }[];
      assert.deepEqual(
        errors.map((e) => e.path),
        ['model'],
        query,
      );
      assert.ok(errors[0]?.message, query);
    }
    assert.deepEqual(await stored(), before);
  });
});
