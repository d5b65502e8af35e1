import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { toCropCoordinates } from '../../src/model/aligned-crop.js';
import { Inference } from '../../src/model/infer.js';
import { decodedPhotos } from '../helpers/photos.js';

/** facemesh points of each eye's contour and of the lips (canonical MediaPipe face mesh). */
const LEFT_EYE = [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246];
const RIGHT_EYE = [362, 382, 381, 380, 374, 373, 390, 249, 263, 466, 388, 387, 386, 385, 384, 398];
const MOUTH = [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 185, 40, 39, 37, 0, 267, 269, 270, 409];

describe('aligned crops of the five fixture photos (real BlazeFace and facemesh, in this thread)', () => {
  let inference: Inference;
  before(async () => {
    inference = await Inference.create();
  });

  it('frames both eyes and the whole mouth of every photo inside the crop, upright', async () => {
    const photos = await decodedPhotos();
    assert.equal(photos.length, 5);
    for (const { name, raw } of photos) {
      const [region] = await inference.regions(raw);
      assert.ok(region, `${name}: a face`);
      assert.ok(region.mesh.length >= 468, `${name}: facemesh landmarks`);
      for (const network of ['human', 'faceapi'] as const) {
        const crop = region.crop[network];
        for (const [part, indices] of [
          ['left eye', LEFT_EYE],
          ['right eye', RIGHT_EYE],
          ['mouth', MOUTH],
        ] as const) {
          for (const i of indices) {
            const [x = 0, y = 0] = region.mesh[i] ?? [];
            const [u, v] = toCropCoordinates(crop, [x, y]);
            assert.ok(
              u > 0.02 && u < 0.98 && v > 0.02 && v < 0.98,
              `${name} ${network}: ${part} point ${i} at (${u}, ${v})`,
            );
          }
        }
        // Eyes in the upper half and the mouth in the lower half of the crop.
        const [, eyeV] = toCropCoordinates(crop, [region.mesh[33]?.[0] ?? 0, region.mesh[33]?.[1] ?? 0]);
        const [, mouthV] = toCropCoordinates(crop, [region.mesh[13]?.[0] ?? 0, region.mesh[13]?.[1] ?? 0]);
        assert.ok(eyeV < 0.5 && mouthV > 0.5, `${name} ${network}: eyes at ${eyeV}, mouth at ${mouthV}`);
      }
    }
  });
});
