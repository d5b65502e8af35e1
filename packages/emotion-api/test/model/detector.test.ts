import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { normalizeImage, prepareImage } from '../../src/images/normalize.js';
import { EMOTIONS } from '@emotion-app/protocol';
import { createEmotionDetector, type EmotionDetector, type FaceEmotion } from '../../src/model/index.js';

const fixtures = new URL('../../../../fixtures/', import.meta.url);
const PHOTOS = ['Happy-test', 'disgust_test', 'neutral_test', 'sad_test', 'surprise_test'];

function assertWellFormed(face: FaceEmotion, width: number, height: number): void {
  const sum = EMOTIONS.reduce((acc, e) => acc + face.probabilities[e], 0);
  assert.ok(Math.abs(sum - 1) <= 1e-6, `probabilities sum to ${sum}`);
  for (const e of EMOTIONS) assert.ok(face.probabilities[e] >= 0 && face.probabilities[e] <= 1);
  assert.deepEqual(Object.keys(face.probabilities).sort(), [...EMOTIONS].sort());
  assert.equal(face.confidence, Math.max(...EMOTIONS.map((e) => face.probabilities[e])));
  assert.equal(face.probabilities[face.emotion], face.confidence);
  const { x, y, width: w, height: h } = face.box;
  assert.ok(x >= 0 && y >= 0 && w > 0 && h > 0, `box ${JSON.stringify(face.box)}`);
  assert.ok(x + w <= width && y + h <= height, `box ${JSON.stringify(face.box)} inside ${width}×${height}`);
}

describe('emotion detector (human on tfjs-wasm, worker threads)', () => {
  let detector: EmotionDetector;

  before(async () => {
    detector = createEmotionDetector({ workers: 2 });
    assert.equal(detector.loaded, false);
    await detector.load();
  });
  after(() => detector.close());

  it('reports a model name and version and that it is loaded', () => {
    assert.match(detector.model, /^human@3\.3\.6 .*tfjs-wasm 4\.22\.0/);
    assert.equal(detector.loaded, true);
    assert.ok((detector.loadTimeMs ?? 0) > 0);
  });

  for (const name of PHOTOS) {
    it(`finds a face with a plausible box and probabilities summing to 1 in ${name}.jpg`, async () => {
      const { jpeg, width, height } = await normalizeImage(
        await readFile(new URL(`faces/${name}.jpg`, fixtures)),
      );
      const faces = await detector.detect(jpeg);
      assert.ok(faces.length >= 1, 'at least one face');
      const [face] = faces as [FaceEmotion];
      assertWellFormed(face, width, height);
      // A portrait selfie: the face is a sizeable part of the picture, not a speck or the whole frame.
      assert.ok(face.box.width >= width * 0.2 && face.box.width <= width, `box width ${face.box.width}`);
      assert.ok(
        face.box.height >= height * 0.1 && face.box.height <= height * 0.8,
        `box height ${face.box.height}`,
      );
    });
  }

  it('gives the same faces from prepareImage pixels as from the normalised JPEG', async () => {
    for (const name of PHOTOS) {
      const upload = await readFile(new URL(`faces/${name}.jpg`, fixtures));
      const { normalized, pixels } = await prepareImage(upload);
      const fromPixels = await detector.detect(upload, { pixels: await pixels });
      const { jpeg, width, height } = await normalized;
      const fromJpeg = await detector.detect(jpeg);
      assert.equal(fromPixels.length, fromJpeg.length, name);
      const [a, b] = [fromPixels[0] as FaceEmotion, fromJpeg[0] as FaceEmotion];
      assertWellFormed(a, width, height);
      assert.equal(a.emotion, b.emotion, name);
      // The JPEG went through one more lossy encode: the label is the same, boxes differ by a little at most.
      for (const k of ['x', 'y', 'width', 'height'] as const)
        assert.ok(
          Math.abs(a.box[k] - b.box[k]) <= width * 0.05,
          `${name} box.${k} ${a.box[k]} vs ${b.box[k]}`,
        );
      // (Scores move more: the classifier is sensitive to JPEG artefacts, e.g. happy 0.72 vs 0.56.)
    }
  });

  it('classifies the happy photo as happy', async () => {
    const faces = await detector.detect(await readFile(new URL('faces/Happy-test.jpg', fixtures)));
    assert.equal(faces[0]?.emotion, 'happy');
  });

  it('puts the largest face first when there are several', async () => {
    const happy = await readFile(new URL('faces/Happy-test.jpg', fixtures));
    const sad = await readFile(new URL('faces/sad_test.jpg', fixtures));
    const big = await sharp(happy).resize(400, 711).toBuffer();
    const small = await sharp(sad).resize(250, 444).toBuffer();
    const group = await sharp({ create: { width: 800, height: 760, channels: 3, background: '#9aa' } })
      .composite([
        { input: small, left: 520, top: 150 },
        { input: big, left: 20, top: 20 },
      ])
      .jpeg()
      .toBuffer();
    const faces = await detector.detect(group);
    assert.equal(faces.length, 2);
    const [first, second] = faces as [FaceEmotion, FaceEmotion];
    assertWellFormed(first, 800, 760);
    assertWellFormed(second, 800, 760);
    assert.ok(first.box.width * first.box.height > second.box.width * second.box.height);
    assert.ok(
      first.box.x < 420 && second.box.x >= 500,
      'the big face is on the left, the small one on the right',
    );
  });

  it('finds a face narrower than a sixth of the image (too small for the short-range detector)', async () => {
    const sad = await sharp(await readFile(new URL('faces/sad_test.jpg', fixtures)))
      .resize(300, 534)
      .toBuffer();
    const wide = await sharp({ create: { width: 1800, height: 1100, channels: 3, background: '#9aa' } })
      .composite([{ input: sad, left: 1200, top: 400 }])
      .jpeg()
      .toBuffer();
    const faces = await detector.detect(wide);
    assert.equal(faces.length, 1);
    const [face] = faces as [FaceEmotion];
    assertWellFormed(face, 1800, 1100);
    assert.ok(face.box.width < 300, `box width ${face.box.width}`);
    assert.ok(face.box.x >= 1200 && face.box.x + face.box.width <= 1500, `box ${JSON.stringify(face.box)}`);
  });

  it('finds more than one face in a wide group photo, where the short-range detector sees one', async () => {
    const tiles = await Promise.all(
      PHOTOS.map(async (p) =>
        sharp(await readFile(new URL(`faces/${p}.jpg`, fixtures)))
          .resize(300, 530, { fit: 'fill' })
          .toBuffer(),
      ),
    );
    const group = await sharp({ create: { width: 1500, height: 530, channels: 3, background: '#fff' } })
      .composite(tiles.map((input, i) => ({ input, left: i * 300, top: 0 })))
      .jpeg()
      .toBuffer();
    const faces = await detector.detect(group);
    assert.ok(faces.length >= 2, `${faces.length} faces`);
    for (const face of faces) assertWellFormed(face, 1500, 530);
    const columns = new Set(faces.map((f) => Math.floor((f.box.x + f.box.width / 2) / 300)));
    assert.equal(columns.size, faces.length, 'each face in its own photo');
  });

  it('classifies a 48×48 FER2013 crop as exactly one face covering the image', async () => {
    const dir = new URL('fer2013-sample/surprise/', fixtures);
    const [file] = (await readdir(dir)).sort();
    const faces = await detector.detect(await readFile(new URL(file as string, dir)));
    assert.equal(faces.length, 1);
    const [face] = faces as [FaceEmotion];
    assert.deepEqual(face.box, { x: 0, y: 0, width: 48, height: 48 });
    assertWellFormed(face, 48, 48);
  });

  it('returns no face for a blank grey 200×200 image', async () => {
    const grey = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#808080' } })
      .jpeg()
      .toBuffer();
    assert.deepEqual(await detector.detect(grey), []);
  });

  it('returns no face for a 10×10 image', async () => {
    const tiny = await sharp(await readFile(new URL('faces/Happy-test.jpg', fixtures)))
      .resize(10, 10)
      .png()
      .toBuffer();
    assert.deepEqual(await detector.detect(tiny), []);
  });

  it('returns no face for a landscape photo without a face', async () => {
    const noise = Buffer.alloc(640 * 360 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) % 251;
    const img = await sharp(noise, { raw: { width: 640, height: 360, channels: 3 } })
      .jpeg()
      .toBuffer();
    assert.deepEqual(await detector.detect(img), []);
  });

  it('resolves many concurrent detections with the same result as one at a time', async () => {
    const photos = await Promise.all(PHOTOS.map((p) => readFile(new URL(`faces/${p}.jpg`, fixtures))));
    const sequential: FaceEmotion[][] = [];
    for (const photo of photos) sequential.push(await detector.detect(photo));
    const concurrent = await Promise.all([...photos, ...photos].map((p) => detector.detect(p)));
    assert.equal(concurrent.length, 10);
    for (const [i, faces] of concurrent.entries()) assert.deepEqual(faces, sequential[i % photos.length]);
  });

  it('reads a face with each catalogue model, the ensemble (the default) a distribution between its members', async () => {
    const {
      jpeg: photo,
      width,
      height,
    } = await normalizeImage(await readFile(new URL('faces/Happy-test.jpg', fixtures)));
    const byModel = new Map<string, FaceEmotion>();
    for (const model of ['human', 'faceapi', 'ensemble']) {
      const [face] = (await detector.detect(photo, { model })) as [FaceEmotion];
      assertWellFormed(face, width, height);
      assert.equal(face.emotion, 'happy', model);
      byModel.set(model, face);
    }
    assert.notDeepEqual(byModel.get('human')?.probabilities, byModel.get('faceapi')?.probabilities);
    assert.deepEqual((await detector.detect(photo))[0], byModel.get('ensemble'));
    // One face, one box, whichever model reads it.
    assert.deepEqual(byModel.get('human')?.box, byModel.get('faceapi')?.box);
  });

  it('rejects a model the catalogue lacks with 400 validation_failed, before any worker sees the image', async () => {
    await assert.rejects(detector.detect(Buffer.from('not an image'), { model: 'nope' }), {
      status: 400,
      code: 'validation_failed',
    });
  });

  it('rejects bytes that are not an image with 415 unsupported_media_type', async () => {
    await assert.rejects(detector.detect(Buffer.from('not an image')), {
      status: 415,
      code: 'unsupported_media_type',
    });
  });

  it('refuses encoded images over its maxPixels (MAX_IMAGE_MEGAPIXELS in the app) with 415, in the worker', async () => {
    const photo = await readFile(new URL('faces/Happy-test.jpg', fixtures));
    const limited = createEmotionDetector({ workers: 1, maxPixels: 1000 });
    try {
      await limited.load();
      await assert.rejects(limited.detect(photo), { status: 415, code: 'unsupported_media_type' });
      // Pixels decoded beforehand (as POST /detect does, within its own limit) are not held to it.
      const { pixels } = await prepareImage(photo);
      assert.ok((await limited.detect(photo, { pixels: await pixels })).length >= 1);
    } finally {
      await limited.close();
    }
  });

  it('rejects detect with 503 model_unavailable once closed', async () => {
    const closed = createEmotionDetector({ workers: 1 });
    await closed.close();
    assert.equal(closed.loaded, false);
    await assert.rejects(closed.detect(Buffer.from('x')), { status: 503, code: 'model_unavailable' });
  });
});
