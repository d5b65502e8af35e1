import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { type Db, openDatabase } from '../../src/db/database.js';
import { DetectionService } from '../../src/detections/detections.service.js';
import { findPrediction, listPredictions } from '../../src/history/history.repository.js';
import { BoundedQueue } from '../../src/model/bounded-queue.js';
import { EMOTIONS, type Emotion, ProblemError } from '@emotion-app/protocol';
import { createEmotionDetector, type EmotionDetector, type FaceEmotion } from '../../src/model/index.js';
import { ImageStore } from '../../src/storage/image-store.js';

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

describe('DetectionService.detectAndStore', () => {
  let dir: string;
  let db: Db;
  let images: ImageStore;
  const user = { id: 'user-detections' };
  const service = (detector: EmotionDetector, minConfidence = 0.5) =>
    new DetectionService({
      db,
      images,
      detector,
      detectQueue: new BoundedQueue(1, 4),
      minConfidence,
      maxImagePixels: 40_000_000,
    });
  const stored = () => ({
    rows: listPredictions(db, user.id, { limit: 100, offset: 0 }).total,
    files: readdirSync(images.dir).length,
  });

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'emotion-detections-'));
    db = openDatabase(dir);
    images = new ImageStore(dir);
  });
  after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('the confidence policy (a detector with fixed answers)', () => {
    const jpeg = photo('Happy-test.jpg');

    it('answers the largest face, whatever order the detector gives, stores it and its image', async () => {
      const before = stored();
      const faces = [faceOf('sad', 0.6, 40), faceOf('happy', 0.8, 120), faceOf('fear', 0.9, 80)];
      const body = await service(fixedDetector(faces)).detectAndStore(user, jpeg);
      assert.equal(body.emotion, 'happy');
      assert.equal(body.confidence, 0.8);
      assert.equal(body.lowConfidence, false);
      assert.deepEqual(
        body.faces.map((f) => f.emotion),
        ['happy', 'fear', 'sad'],
      );
      assert.equal(body.model, 'fixed-test-model');
      assert.equal(body.imageUrl, `/images/${body.id}`);
      const row = findPrediction(db, user.id, body.id);
      assert.equal(row?.emotion, 'happy');
      assert.equal(row?.lowConfidence, false);
      assert.deepEqual(stored(), { rows: before.rows + 1, files: before.files + 1 });
    });

    it('answers 422 no_face_detected and stores nothing when there is no face', async () => {
      const before = stored();
      await rejectsWith(service(fixedDetector([])).detectAndStore(user, jpeg), 422, 'no_face_detected');
      assert.deepEqual(stored(), before);
    });

    it('stores a top face below minConfidence, then answers 422 low_confidence with the stored prediction', async () => {
      const before = stored();
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
      assert.equal(findPrediction(db, user.id, prediction.id)?.lowConfidence, true);
      assert.deepEqual(stored(), { rows: before.rows + 1, files: before.files + 1 });
    });

    it('takes a top face exactly at minConfidence as confident', async () => {
      const body = await service(fixedDetector([faceOf('surprise', 0.5, 50)]), 0.5).detectAndStore(
        user,
        jpeg,
      );
      assert.equal(body.lowConfidence, false);
    });

    it('removes the saved image again when the row cannot be written', async () => {
      const brokenDir = mkdtempSync(path.join(tmpdir(), 'emotion-detections-broken-'));
      const brokenDb = openDatabase(brokenDir);
      brokenDb.exec('DROP TABLE predictions');
      const brokenImages = new ImageStore(brokenDir);
      try {
        const broken = new DetectionService({
          db: brokenDb,
          images: brokenImages,
          detector: fixedDetector([faceOf('happy', 0.9, 50)]),
          detectQueue: new BoundedQueue(1, 4),
          minConfidence: 0.5,
          maxImagePixels: 40_000_000,
        });
        await assert.rejects(broken.detectAndStore(user, jpeg), /no such table/);
        assert.deepEqual(readdirSync(brokenImages.dir), []);
      } finally {
        brokenDb.close();
        rmSync(brokenDir, { recursive: true, force: true });
      }
    });

    it('refuses bytes that are no image with 415 before the detector runs, storing nothing', async () => {
      const before = stored();
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
      assert.deepEqual(stored(), before);
    });

    it('refuses an image over maxImagePixels with 413 image_too_large', async () => {
      const small = new DetectionService({
        db,
        images,
        detector: fixedDetector([faceOf('happy', 0.9, 50)]),
        detectQueue: new BoundedQueue(1, 4),
        minConfidence: 0.5,
        maxImagePixels: 1000,
      });
      await rejectsWith(small.detectAndStore(user, jpeg), 413, 'image_too_large');
    });
  });

  describe('with the real model and fixture photos', () => {
    let detector: EmotionDetector;
    before(async () => {
      detector = createEmotionDetector({ workers: 1 });
      await detector.load();
    });
    after(() => detector.close());

    it('finds the happy face of Happy-test.jpg and stores it', async () => {
      const body = await service(detector, 0.2).detectAndStore(user, photo('Happy-test.jpg'));
      assert.equal(body.emotion, 'happy');
      assert.equal(body.lowConfidence, false);
      assert.match(body.model, /human@3\.3\.6/);
      assert.equal(findPrediction(db, user.id, body.id)?.emotion, 'happy');
    });

    it('answers 422 low_confidence when nothing below 0.999 is enough, and keeps the prediction', async () => {
      const before = stored();
      const err = await rejectsWith(
        service(detector, 0.999).detectAndStore(user, photo('neutral_test.jpg')),
        422,
        'low_confidence',
      );
      const prediction = err.extensions?.prediction as { lowConfidence: boolean } | undefined;
      assert.equal(prediction?.lowConfidence, true);
      assert.deepEqual(stored(), { rows: before.rows + 1, files: before.files + 1 });
    });

    it('answers 422 no_face_detected for a blank image and stores nothing', async () => {
      const before = stored();
      const blank = await sharp({
        create: { width: 640, height: 480, channels: 3, background: { r: 128, g: 128, b: 128 } },
      })
        .jpeg()
        .toBuffer();
      await rejectsWith(service(detector).detectAndStore(user, blank), 422, 'no_face_detected');
      assert.deepEqual(stored(), before);
    });
  });
});
