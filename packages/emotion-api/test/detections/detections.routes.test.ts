import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { EMOTIONS } from '@emotion-app/protocol';
import { createEmotionDetector, type EmotionDetector } from '../../src/model/index.js';
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

describe('POST /detect (real auth-server, real model)', () => {
  let auth: AuthServer;
  let api: TestApi;
  let strict: TestApi;
  let user: SignedInUser;
  let detector: EmotionDetector;

  before(async () => {
    auth = await startAuthServer();
    detector = createEmotionDetector({ workers: 1 });
    await detector.load();
    api = await startApi(auth.url, { MAX_UPLOAD_MB: '2' }, { detector });
    // The same model in a second app refusing every answer below 0.999 and allowing 3 detections a minute.
    strict = await startApi(auth.url, { MIN_CONFIDENCE: '0.999', DETECT_RATE_LIMIT: '3' }, { detector });
    user = await signUp(api.app, auth, 'detector');
  });
  after(async () => {
    await strict?.close();
    await api?.close();
    await auth?.stop();
    await detector?.close();
  });

  const bearer = () => ({ authorization: `Bearer ${user.accessToken}` });
  const detect = (app: TestApi, body: { payload: Buffer; headers: Record<string, string> }) =>
    app.app.inject({
      method: 'POST',
      url: '/detect',
      payload: body.payload,
      headers: { ...body.headers, ...bearer() },
    });
  const stored = async (app: TestApi) => {
    const logs = await app.app.inject({ method: 'GET', url: '/logs', headers: bearer() });
    return { rows: logs.json().total as number, files: readdirSync(path.join(app.dataDir, 'images')).length };
  };

  it('answers the emotion of the face with probabilities, boxes, model and image URL, and stores it', async () => {
    const res = await detect(api, multipart('image', photo('Happy-test.jpg')));
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), [
      'confidence',
      'createdAt',
      'emotion',
      'faces',
      'id',
      'imageUrl',
      'lowConfidence',
      'model',
      'probabilities',
    ]);
    assert.equal(body.emotion, 'happy');
    assert.deepEqual(Object.keys(body.probabilities).sort(), [...EMOTIONS].sort());
    const sum = Object.values(body.probabilities as Record<string, number>).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-3, `probabilities sum to ${sum}`);
    assert.equal(body.confidence, body.probabilities.happy);
    assert.ok(body.faces.length >= 1);
    assert.deepEqual(Object.keys(body.faces[0].box).sort(), ['height', 'width', 'x', 'y']);
    assert.equal(body.faces[0].emotion, body.emotion);
    assert.equal(body.model, 'ensemble', 'the catalogue id of the default model');
    assert.equal(body.imageUrl, `/images/${body.id}`);
    assert.ok(Date.parse(body.createdAt) <= Date.now());
    assert.equal(body.lowConfidence, false);
    assert.deepEqual(await stored(api), { rows: 1, files: 1 });

    const image = await api.app.inject({ method: 'GET', url: body.imageUrl, headers: bearer() });
    assert.equal(image.statusCode, 200);
    const meta = await sharp(image.rawPayload).metadata();
    assert.equal(meta.format, 'jpeg');
    assert.equal(meta.exif, undefined);
  });

  it('answers 401 without a token', async () => {
    const { payload, headers } = multipart('image', photo('sad_test.jpg'));
    const res = await api.app.inject({ method: 'POST', url: '/detect', payload, headers });
    assert.equal(res.statusCode, 401);
  });

  it('refuses every bad upload with the right status and code, storing nothing', async () => {
    const before = await stored(api);
    const truncated = photo('neutral_test.jpg');
    const bomb = await sharp({
      create: { width: 20_000, height: 20_000, channels: 3, background: '#808080' },
      limitInputPixels: false,
    })
      .png()
      .toBuffer();
    const blank = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#ffffff' } })
      .jpeg()
      .toBuffer();
    const cases: [string, { payload: Buffer; headers: Record<string, string> }, number, string][] = [
      ['no image field', multipart('file', photo('sad_test.jpg')), 400, 'validation_failed'],
      [
        'a text file named .jpg',
        multipart('image', Buffer.from('hello, not an image\n'), 'x.jpg'),
        415,
        'unsupported_media_type',
      ],
      [
        'a truncated JPEG',
        multipart('image', truncated.subarray(0, Math.floor(truncated.length / 2))),
        415,
        'unsupported_media_type',
      ],
      ['a 20000×20000 PNG', multipart('image', bomb, 'bomb.png', 'image/png'), 413, 'image_too_large'],
      [
        'a file over MAX_UPLOAD_MB',
        multipart('image', Buffer.alloc(3 * 1024 * 1024, 0xff)),
        413,
        'payload_too_large',
      ],
      ['a blank image', multipart('image', blank), 422, 'no_face_detected'],
      [
        'a JSON body',
        { payload: Buffer.from('{"image":"x"}'), headers: { 'content-type': 'application/json' } },
        415,
        'unsupported_media_type',
      ],
    ];
    for (const [label, body, status, code] of cases) {
      const res = await detect(api, body);
      assert.equal(res.statusCode, status, `${label}: ${res.body}`);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', label);
      assert.equal(res.json().code, code, label);
    }
    assert.deepEqual(await stored(api), before);
  });

  it('answers 422 low_confidence below MIN_CONFIDENCE and still logs the prediction', async () => {
    const before = await stored(strict);
    const res = await detect(strict, multipart('image', photo('neutral_test.jpg')));
    assert.equal(res.statusCode, 422, res.body);
    const body = res.json();
    assert.equal(body.code, 'low_confidence');
    assert.equal(body.prediction.lowConfidence, true);
    const after = await stored(strict);
    assert.deepEqual(after, { rows: before.rows + 1, files: before.files + 1 });
    const logs = await strict.app.inject({ method: 'GET', url: '/logs', headers: bearer() });
    assert.equal(logs.json().items[0].id, body.prediction.id);
    assert.equal(logs.json().items[0].lowConfidence, true);
  });

  it('throttles each user to DETECT_RATE_LIMIT a minute with 429 rate_limited and Retry-After', async () => {
    const other = await signUp(strict.app, auth, 'throttled');
    const empty = multipart('file', Buffer.from('x'));
    const send = (token: string) =>
      strict.app.inject({
        method: 'POST',
        url: '/detect',
        payload: empty.payload,
        headers: { ...empty.headers, authorization: `Bearer ${token}` },
      });
    // `user` spent one of its three on the low-confidence test.
    assert.equal((await send(user.accessToken)).statusCode, 400);
    assert.equal((await send(user.accessToken)).statusCode, 400);
    const limited = await send(user.accessToken);
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().code, 'rate_limited');
    assert.ok(Number(limited.headers['retry-after']) > 0);
    assert.equal((await send(other.accessToken)).statusCode, 400, 'another user is not throttled');
  });

  it('answers 413 over real HTTP as soon as the upload crosses MAX_UPLOAD_MB, before the client has sent it all', {
    timeout: 60_000,
  }, async () => {
    const before = await stored(api);
    const address = await api.app.listen({ host: '127.0.0.1', port: 0 });
    const boundary = '----emotionbig';
    const chunk = Buffer.alloc(256 * 1024, 0xff);
    const req = httpRequest(`${address}/detect`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...bearer() },
    });
    const response = new Promise<IncomingMessage>((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', reject);
    });
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="big.jpg"\r\n\r\n`);
    // 3 MB (over the 2 MB limit) and then nothing more until the server has answered.
    for (let i = 0; i < 12; i++) req.write(chunk);
    const res = await response;
    let body = '';
    for await (const data of res) body += data;
    req.destroy();
    assert.equal(res.statusCode, 413);
    assert.equal(JSON.parse(body).code, 'payload_too_large');
    assert.deepEqual(await stored(api), before);
  });
});
