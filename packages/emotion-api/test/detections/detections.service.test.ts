import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { type DetectionObserver, DetectionService } from '../../src/detections/detections.service.js';
import { BoundedQueue } from '../../src/model/bounded-queue.js';
import { EMOTIONS, type Emotion, ProblemError } from '@emotion-app/protocol';
import {
  createEmotionDetector,
  type DetectOptions,
  type EmotionDetector,
  type FaceEmotion,
} from '../../src/model/index.js';
import type { SqlitePredictionStore } from '../../src/predictions/predictions.sqlite.js';
import type { PredictionStore } from '../../src/predictions/predictions.store.js';
import { DEFAULT_MODEL } from '../../src/models/models.catalogue.js';
import { bytesOf } from '../predictions/fixtures.js';
import { storeDialects, type TestStore } from '../predictions/stores.js';

const FIXTURES = new URL('../../../../fixtures/', import.meta.url);
const photo = (name: string) => readFileSync(new URL(`faces/${name}`, FIXTURES));

function faceOf(emotion: Emotion, confidence: number, width: number): FaceEmotion {
  const rest = (1 - confidence) / (EMOTIONS.length - 1);
  const probabilities = Object.fromEntries(
    EMOTIONS.map((e) => [e, e === emotion ? confidence : rest]),
  ) as Record<Emotion, number>;
  return { box: { x: 0, y: 0, width, height: width }, emotion, confidence, probabilities };
}

/** A detector answering `faces` for any image (the service's policy, not the model, is under test). */
function fixedDetector(faces: FaceEmotion[]): EmotionDetector {
  return {
    model: 'fixed-test-model',
    loaded: true,
    load: async () => {},
    detect: async () => faces,
    close: async () => {},
  };
}

async function rejectsWith(promise: Promise<unknown>, status: number, code: string): Promise<ProblemError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ProblemError, `a ProblemError, got ${String(err)}`);
    assert.equal(err.status, status, err.message);
    assert.equal(err.code, code);
    return err;
  }
  assert.fail(`expected ${status} ${code}`);
}

const policyDialects = storeDialects();

for (const dialect of policyDialects) {
  describe(`DetectionService.detectAndStore on ${dialect.name}`, () => {
    let t: TestStore;
    let store: PredictionStore;
    const user = { id: 'user-detections' };
    const service = (detector: EmotionDetector, minConfidence = 0.5, observer?: DetectionObserver) =>
      new DetectionService({
        store,
        detector,
        detectQueue: new BoundedQueue(1, 4),
        minConfidence,
        maxImagePixels: 40_000_000,
        ...(observer ? { observer } : {}),
      });
    const stored = async () => (await store.list(user.id, { limit: 1, offset: 0 })).total;

    before(async () => {
      t = await dialect.open();
      store = t.store;
    });
    after(() => t.cleanup());

    describe('the confidence policy (a detector with fixed answers)', () => {
      const jpeg = photo('Happy-test.jpg');

      it('answers the largest face, whatever order the detector gives, stores it and its image', async () => {
        const before = await stored();
        const faces = [faceOf('sad', 0.6, 40), faceOf('happy', 0.8, 120), faceOf('fear', 0.9, 80)];
        const body = await service(fixedDetector(faces)).detectAndStore(user, jpeg);
        assert.equal(body.emotion, 'happy');
        assert.equal(body.confidence, 0.8);
        assert.equal(body.lowConfidence, false);
        assert.deepEqual(
          body.faces.map((f) => f.emotion),
          ['happy', 'fear', 'sad'],
        );
        assert.equal(body.imageUrl, `/images/${body.id}`);
        const row = await store.find(user.id, body.id);
        assert.equal(row?.emotion, 'happy');
        assert.equal(row?.lowConfidence, false);
        const image = await bytesOf(await store.openImage(user.id, body.id));
        assert.equal((await sharp(image).metadata()).format, 'jpeg');
        assert.equal(await stored(), before + 1);
      });

      it('passes the model asked for to the detector and stores its catalogue id; absent = the default', async () => {
        const asked: (string | undefined)[] = [];
        const detector: EmotionDetector = {
          ...fixedDetector([faceOf('happy', 0.9, 50)]),
          detect: async (_image: Buffer, opts?: DetectOptions) => {
            asked.push(opts?.model);
            return [faceOf('happy', 0.9, 50)];
          },
        };
        const chosen = await service(detector).detectAndStore(user, jpeg, { model: 'human' });
        assert.equal(chosen.model, 'human');
        assert.equal((await store.find(user.id, chosen.id))?.model, 'human');
        const byDefault = await service(detector).detectAndStore(user, jpeg);
        assert.equal(byDefault.model, DEFAULT_MODEL.id);
        assert.deepEqual(asked, ['human', DEFAULT_MODEL.id]);
        const filtered = await store.list(user.id, { limit: 100, offset: 0, model: 'human' });
        assert.ok(filtered.items.some((p) => p.id === chosen.id));
      });

      it('answers 400 validation_failed on path model for an unknown model, storing nothing', async () => {
        const before = await stored();
        const err = await rejectsWith(
          service(fixedDetector([faceOf('happy', 0.9, 50)])).detectAndStore(user, jpeg, { model: 'nope' }),
          400,
          'validation_failed',
        );
        assert.equal(err.errors?.[0]?.path, 'model');
        assert.equal(await stored(), before);
      });

      it('tells the observer the model, the time and the faces of each detection', async () => {
        const seen: [string, number, string[]][] = [];
        const observer: DetectionObserver = {
          detected: (model, seconds, faces) => seen.push([model, seconds, faces.map((f) => f.emotion)]),
        };
        const faces = [faceOf('sad', 0.6, 40), faceOf('happy', 0.8, 120)];
        await service(fixedDetector(faces), 0.5, observer).detectAndStore(user, jpeg, { model: 'human' });
        await rejectsWith(
          service(fixedDetector([]), 0.5, observer).detectAndStore(user, jpeg),
          422,
          'no_face_detected',
        );
        assert.equal(seen.length, 2);
        assert.equal(seen[0]?.[0], 'human');
        assert.ok((seen[0]?.[1] ?? -1) >= 0);
        assert.deepEqual(seen[0]?.[2], ['sad', 'happy']);
        assert.deepEqual(seen[1]?.[2], []);
      });

      it('answers 422 no_face_detected and stores nothing when there is no face', async () => {
        const before = await stored();
        await rejectsWith(service(fixedDetector([])).detectAndStore(user, jpeg), 422, 'no_face_detected');
        assert.equal(await stored(), before);
      });

      it('stores a top face below minConfidence, then answers 422 low_confidence with the stored prediction', async () => {
        const before = await stored();
        // A confident small face does not lift a doubtful large one.
        const faces = [faceOf('neutral', 0.49, 100), faceOf('happy', 0.99, 30)];
        const err = await rejectsWith(
          service(fixedDetector(faces), 0.5).detectAndStore(user, jpeg),
          422,
          'low_confidence',
        );
        const prediction = err.extensions?.prediction as {
          id: string;
          emotion: string;
          lowConfidence: boolean;
        };
        assert.equal(prediction.emotion, 'neutral');
        assert.equal(prediction.lowConfidence, true);
        assert.match(err.detail ?? '', /neutral, 0\.49.*0\.5/);
        assert.equal((await store.find(user.id, prediction.id))?.lowConfidence, true);
        assert.equal(await stored(), before + 1);
      });

      it('takes a top face exactly at minConfidence as confident', async () => {
        const body = await service(fixedDetector([faceOf('surprise', 0.5, 50)]), 0.5).detectAndStore(
          user,
          jpeg,
        );
        assert.equal(body.lowConfidence, false);
      });

      it('refuses bytes that are no image with 415 before the detector runs, storing nothing', async () => {
        const before = await stored();
        let calls = 0;
        const counting: EmotionDetector = {
          ...fixedDetector([faceOf('happy', 0.9, 50)]),
          detect: async () => {
            calls++;
            return [];
          },
        };
        await rejectsWith(
          service(counting).detectAndStore(user, Buffer.from('not an image')),
          415,
          'unsupported_media_type',
        );
        assert.equal(calls, 0);
        assert.equal(await stored(), before);
      });

      it('refuses an image over maxImagePixels with 413 image_too_large', async () => {
        const small = new DetectionService({
          store,
          detector: fixedDetector([faceOf('happy', 0.9, 50)]),
          detectQueue: new BoundedQueue(1, 4),
          minConfidence: 0.5,
          maxImagePixels: 1000,
        });
        await rejectsWith(small.detectAndStore(user, jpeg), 413, 'image_too_large');
      });
    });
  });
}

describe('DetectionService on SQLite', () => {
  let t: TestStore;
  let store: SqlitePredictionStore;
  const user = { id: 'user-detections' };
  const service = (detector: EmotionDetector, minConfidence = 0.5) =>
    new DetectionService({
      store,
      detector,
      detectQueue: new BoundedQueue(1, 4),
      minConfidence,
      maxImagePixels: 40_000_000,
    });
  const stored = async () => ({
    rows: (await store.list(user.id, { limit: 1, offset: 0 })).total,
    files: readdirSync(store.images.dir).length,
  });

  before(async () => {
    t = await (policyDialects[0] as (typeof policyDialects)[0]).open();
    store = t.store as SqlitePredictionStore;
  });
  after(() => t.cleanup());

  it('removes the saved image again when the row cannot be written', async () => {
    store.db.exec('ALTER TABLE predictions RENAME TO predictions_gone');
    try {
      await assert.rejects(
        service(fixedDetector([faceOf('happy', 0.9, 50)])).detectAndStore(user, photo('Happy-test.jpg')),
        /no such table/,
      );
      assert.deepEqual(readdirSync(store.images.dir), []);
    } finally {
      store.db.exec('ALTER TABLE predictions_gone RENAME TO predictions');
    }
  });

  describe('with the real model and fixture photos', () => {
    let detector: EmotionDetector;
    before(async () => {
      detector = createEmotionDetector({ workers: 1 });
      await detector.load();
    });
    after(() => detector.close());

    it('finds the happy face of Happy-test.jpg and stores it with the default model id', async () => {
      const body = await service(detector, 0.2).detectAndStore(user, photo('Happy-test.jpg'));
      assert.equal(body.emotion, 'happy');
      assert.equal(body.lowConfidence, false);
      assert.equal(body.model, DEFAULT_MODEL.id);
      assert.equal((await store.find(user.id, body.id))?.emotion, 'happy');
    });

    it('answers 422 low_confidence when nothing below 0.999 is enough, and keeps the prediction', async () => {
      const before = await stored();
      const err = await rejectsWith(
        service(detector, 0.999).detectAndStore(user, photo('neutral_test.jpg')),
        422,
        'low_confidence',
      );
      const prediction = err.extensions?.prediction as { lowConfidence: boolean } | undefined;
      assert.equal(prediction?.lowConfidence, true);
      assert.deepEqual(await stored(), { rows: before.rows + 1, files: before.files + 1 });
    });

    it('answers 422 no_face_detected for a blank image and stores nothing', async () => {
      const before = await stored();
      const blank = await sharp({
        create: { width: 640, height: 480, channels: 3, background: { r: 128, g: 128, b: 128 } },
      })
        .jpeg()
        .toBuffer();
      await rejectsWith(service(detector).detectAndStore(user, blank), 422, 'no_face_detected');
      assert.deepEqual(await stored(), before);
    });
  });
});
