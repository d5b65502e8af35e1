import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  byAreaDescending,
  CROP_MAX_SIDE,
  clampBox,
  cropCoordinates,
  type DetectedFace,
  emotionRegion,
  FACE_CROP,
  iou,
  isTightCrop,
  looksLikeFaceCrop,
  MESH_MARGIN,
  mergeDetections,
  needsFullRange,
  type Rect,
  TIGHT_CROP_SIDE,
  toFullSize,
  wholeImage,
} from '../../src/model/geometry.js';

const face = (box: Rect, mesh: number[][] = []): DetectedFace => ({ box, mesh });
const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≈ ${expected}`);

describe('model geometry', () => {
  describe('iou', () => {
    it('is 1 for the same box, 0 for boxes that only touch or are apart', () => {
      assert.equal(iou([10, 10, 20, 20], [10, 10, 20, 20]), 1);
      assert.equal(iou([0, 0, 10, 10], [10, 0, 10, 10]), 0);
      assert.equal(iou([0, 0, 10, 10], [50, 50, 10, 10]), 0);
    });

    it('is the shared area over the combined area, whichever box comes first', () => {
      // Two 10×10 boxes overlapping by 5×10: 50 / (100 + 100 - 50).
      close(iou([0, 0, 10, 10], [5, 0, 10, 10]), 1 / 3);
      close(iou([5, 0, 10, 10], [0, 0, 10, 10]), 1 / 3);
      // A box inside another: its own area over the outer one's.
      close(iou([0, 0, 20, 20], [5, 5, 10, 10]), 100 / 400);
    });
  });

  describe('emotionRegion', () => {
    it('without landmarks, shrinks the loose detector box by FACE_CROP on each side', () => {
      const region = emotionRegion(face([100, 200, 100, 200]));
      close(region.x, 100 + 100 * FACE_CROP);
      close(region.y, 200 + 200 * FACE_CROP);
      close(region.width, 100 * (1 - 2 * FACE_CROP));
      close(region.height, 200 * (1 - 2 * FACE_CROP));
    });

    it("with landmarks, grows the landmarks' bounds by MESH_MARGIN on each side and ignores the box", () => {
      const mesh = [
        [50, 60, 0],
        [150, 80, -3],
        [90, 260, 2],
        [70, 100, 1],
      ];
      const region = emotionRegion(face([0, 0, 1000, 1000], mesh));
      // Bounds: x 50..150 (100 wide), y 60..260 (200 high).
      close(region.x, 50 - 100 * MESH_MARGIN);
      close(region.y, 60 - 200 * MESH_MARGIN);
      close(region.width, 100 * (1 + 2 * MESH_MARGIN));
      close(region.height, 200 * (1 + 2 * MESH_MARGIN));
    });
  });

  describe('clampBox', () => {
    it('rounds to whole pixels and leaves a box inside the image as it is', () => {
      assert.deepEqual(clampBox({ x: 10.4, y: 20.6, width: 30.5, height: 40.2 }, 100, 100), {
        x: 10,
        y: 21,
        width: 31,
        height: 40,
      });
    });

    it('cuts a box reaching outside the image to the image', () => {
      assert.deepEqual(clampBox({ x: -20, y: -5, width: 200, height: 50 }, 100, 80), {
        x: 0,
        y: 0,
        width: 100,
        height: 50,
      });
      assert.deepEqual(clampBox({ x: 90, y: 70, width: 50, height: 50 }, 100, 80), {
        x: 90,
        y: 70,
        width: 10,
        height: 10,
      });
    });

    it('keeps at least one pixel, even for a box wholly outside or empty', () => {
      assert.deepEqual(clampBox({ x: 500, y: 500, width: 10, height: 10 }, 100, 80), {
        x: 99,
        y: 79,
        width: 1,
        height: 1,
      });
      assert.deepEqual(clampBox({ x: 5, y: 5, width: 0, height: 0.2 }, 100, 80), {
        x: 5,
        y: 5,
        width: 1,
        height: 1,
      });
    });
  });

  describe('toFullSize', () => {
    it('scales a box of the decoded image back to full-size pixels', () => {
      // A 4000×3000 photo decoded at 360×270: scale 4000/360.
      const scale = 4000 / 360;
      const box = toFullSize({ x: 90, y: 45, width: 36, height: 54 }, { width: 360, height: 270, scale });
      assert.deepEqual(box, { x: 1000, y: 500, width: 400, height: 600 });
    });

    it('clamps to the full-size image', () => {
      const box = toFullSize(
        { x: 300, y: 200, width: 100, height: 100 },
        { width: 360, height: 270, scale: 2 },
      );
      assert.deepEqual(box, { x: 600, y: 400, width: 120, height: 140 });
    });

    it('is the clamped box itself at scale 1', () => {
      const box = { x: 3, y: 4, width: 20, height: 10 };
      assert.deepEqual(toFullSize(box, { width: 100, height: 100, scale: 1 }), box);
    });
  });

  describe('which regions are classified without a detection', () => {
    it('takes an image up to TIGHT_CROP_SIDE on its longer side as one face', () => {
      assert.equal(isTightCrop(48, 48), true);
      assert.equal(isTightCrop(TIGHT_CROP_SIDE, 30), true);
      assert.equal(isTightCrop(TIGHT_CROP_SIDE + 1, 30), false);
      assert.deepEqual(wholeImage(48, 40), { x: 0, y: 0, width: 48, height: 40 });
    });

    it('takes a small, nearly square image as a face crop, measured in full-size pixels', () => {
      assert.equal(looksLikeFaceCrop(300, 300, 1), true);
      assert.equal(looksLikeFaceCrop(300, 200, 1), true); // aspect 1.5
      assert.equal(looksLikeFaceCrop(300, 199, 1), false); // aspect over 1.5
      assert.equal(looksLikeFaceCrop(CROP_MAX_SIDE, CROP_MAX_SIDE, 1), true);
      // Decoded at 360 but 720 wide in full: not small.
      assert.equal(looksLikeFaceCrop(360, 360, 2), false);
    });
  });

  describe('short-range and full-range detections', () => {
    it('asks the full-range detector when no face or only narrow faces were found', () => {
      assert.equal(needsFullRange([], 360, 240), true);
      // Narrower than a third of the longer side (120 of 360).
      assert.equal(needsFullRange([face([0, 0, 119, 119]), face([200, 0, 60, 60])], 360, 240), true);
      assert.equal(needsFullRange([face([0, 0, 120, 120])], 360, 240), false);
      assert.equal(needsFullRange([face([0, 0, 40, 40]), face([100, 0, 200, 200])], 240, 360), false);
    });

    it('keeps every full-range face and adds the short-range faces it did not find', () => {
      const distant = [face([0, 0, 50, 50]), face([200, 200, 40, 40])];
      const sameAsFirst = face([5, 5, 50, 50]); // iou with distant[0] ≈ 0.68
      const touching = face([30, 0, 50, 50]); // iou with distant[0] = 0.25: a different face
      const elsewhere = face([100, 100, 30, 30]);
      const merged = mergeDetections(distant, [sameAsFirst, touching, elsewhere]);
      assert.deepEqual(merged, [...distant, touching, elsewhere]);
      assert.deepEqual(mergeDetections([], [elsewhere]), [elsewhere]);
    });
  });

  describe('cropCoordinates', () => {
    it("gives cropAndResize's [y1, x1, y2, x2], normalised, last row and column included", () => {
      assert.deepEqual(cropCoordinates([wholeImage(101, 51)], 101, 51), [[0, 0, 1, 1]]);
      const [coords] = cropCoordinates([{ x: 25, y: 10, width: 51, height: 21 }], 101, 51) as [number[]];
      assert.deepEqual(coords, [10 / 50, 25 / 100, 30 / 50, 75 / 100]);
    });

    it('keeps one row per box, in order', () => {
      const boxes = [wholeImage(11, 11), { x: 0, y: 0, width: 6, height: 6 }];
      assert.deepEqual(cropCoordinates(boxes, 11, 11), [
        [0, 0, 1, 1],
        [0, 0, 0.5, 0.5],
      ]);
    });
  });

  it('orders faces largest first by box area', () => {
    const small = { box: { x: 0, y: 0, width: 10, height: 10 } };
    const tall = { box: { x: 0, y: 0, width: 5, height: 40 } };
    const big = { box: { x: 0, y: 0, width: 30, height: 30 } };
    assert.deepEqual([small, tall, big].sort(byAreaDescending), [big, tall, small]);
  });
});
