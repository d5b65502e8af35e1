import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  alignedCrop,
  boxCrop,
  cropBounds,
  EYE_DISTANCE,
  EYE_LINE,
  keypointsOf,
  MOUTH_LINE,
  type Point,
  sampleCrop,
  toCropCoordinates,
} from '../../src/model/aligned-crop.js';

const close = (actual: number, expected: number, eps = 1e-9) =>
  assert.ok(Math.abs(actual - expected) < eps, `${actual} ≈ ${expected}`);

/** A face with eyes `d` apart and the mouth `h` below their midpoint, turned by `angle` about (cx, cy). */
function face(d: number, h: number, angle = 0, [cx, cy]: Point = [200, 150]) {
  const turn = ([x, y]: Point): Point => [
    cx + x * Math.cos(angle) - y * Math.sin(angle),
    cy + x * Math.sin(angle) + y * Math.cos(angle),
  ];
  return { leftEye: turn([-d / 2, 0]), rightEye: turn([d / 2, 0]), mouth: turn([0, h]) };
}

describe('aligned face crops', () => {
  it('puts an upright face with FER2013 proportions at the eye and mouth lines', () => {
    const side = 100;
    const k = face(EYE_DISTANCE * side, (MOUTH_LINE - EYE_LINE) * side);
    const crop = alignedCrop(k);
    close(crop.side, side);
    close(crop.angle, 0);
    const [lx, ly] = toCropCoordinates(crop, k.leftEye);
    const [rx, ry] = toCropCoordinates(crop, k.rightEye);
    const [mx, my] = toCropCoordinates(crop, k.mouth);
    close(ly, EYE_LINE);
    close(ry, EYE_LINE);
    close(my, MOUTH_LINE);
    close(mx, 0.5);
    close(lx, 0.5 - EYE_DISTANCE / 2);
    close(rx, 0.5 + EYE_DISTANCE / 2);
  });

  it('scales with both the inter-ocular and the eye-to-mouth distance', () => {
    const base = alignedCrop(face(40, 38)).side;
    close(alignedCrop(face(80, 76)).side, 2 * base);
    assert.ok(alignedCrop(face(40, 60)).side > base, 'a longer face gets a larger crop');
    assert.ok(alignedCrop(face(60, 38)).side > base, 'a wider face gets a larger crop');
  });

  it('turns a tilted face upright: same crop coordinates whatever the tilt', () => {
    const upright = face(40, 38);
    for (const angle of [0.3, -0.5, 1]) {
      const tilted = face(40, 38, angle);
      const crop = alignedCrop(tilted);
      close(crop.angle, angle);
      close(crop.side, alignedCrop(upright).side);
      for (const key of ['leftEye', 'rightEye', 'mouth'] as const) {
        const a = toCropCoordinates(crop, tilted[key]);
        const b = toCropCoordinates(alignedCrop(upright), upright[key]);
        close(a[0], b[0]);
        close(a[1], b[1]);
      }
    }
  });

  it('reads the eyes and mouth from facemesh or BlazeFace points, the eye on the left first', () => {
    const blaze = [
      [60, 40],
      [20, 40],
      [40, 55],
      [40, 70],
      [5, 45],
      [75, 45],
    ];
    assert.deepEqual(keypointsOf(blaze), { leftEye: [20, 40], rightEye: [60, 40], mouth: [40, 70] });
    const mesh = Array.from({ length: 468 }, () => [0, 0, 0]);
    for (const i of [33, 133]) mesh[i] = [10 + (i === 33 ? 0 : 10), 40, 0];
    for (const i of [362, 263]) mesh[i] = [50 + (i === 362 ? 0 : 10), 40, 0];
    for (const i of [13, 14, 61, 291]) mesh[i] = [i === 61 ? 25 : i === 291 ? 45 : 35, 80, 0];
    assert.deepEqual(keypointsOf(mesh), { leftEye: [15, 40], rightEye: [55, 40], mouth: [35, 80] });
    assert.equal(keypointsOf([]), undefined);
    assert.equal(keypointsOf([[1, 2]]), undefined);
  });

  it('frames a box without landmarks as an upright square as large as its longer side', () => {
    assert.deepEqual(boxCrop({ x: 10, y: 20, width: 40, height: 60 }), {
      cx: 30,
      cy: 50,
      side: 60,
      angle: 0,
    });
    const bounds = cropBounds({ cx: 50, cy: 50, side: 20, angle: Math.PI / 4 });
    close(bounds.width, 20 * Math.SQRT2);
    close(bounds.x, 50 - 10 * Math.SQRT2);
  });

  it('samples the crop: the whole image at its own size is the image itself', () => {
    const [w, h] = [4, 4];
    const data = new Uint8Array(w * h * 3).map((_, i) => (i * 7) % 256);
    const out = sampleCrop({ data, width: w, height: h }, boxCrop({ x: 0, y: 0, width: w, height: h }), 4);
    assert.deepEqual([...out], [...data]);
  });

  it('samples a crop turned by a quarter turn as the image rotated', () => {
    // 2×2 image, one distinct red value per pixel: a, b / c, d.
    const data = new Uint8Array([10, 0, 0, 20, 0, 0, 30, 0, 0, 40, 0, 0]);
    const out = sampleCrop({ data, width: 2, height: 2 }, { cx: 1, cy: 1, side: 2, angle: Math.PI / 2 }, 2);
    // The crop's x axis runs down the image and its y axis right to left: its first row is the
    // image's right column, top to bottom.
    assert.deepEqual(
      [out[0], out[3], out[6], out[9]].map((v) => Math.round(v ?? -1)),
      [20, 40, 10, 30],
    );
  });

  it('averages several samples per output pixel when shrinking, so a fine pattern turns grey', () => {
    const size = 32;
    const data = new Uint8Array(size * size * 3);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++)
        data.fill((x + y) % 2 ? 255 : 0, (y * size + x) * 3, (y * size + x) * 3 + 3);
    const out = sampleCrop(
      { data, width: size, height: size },
      boxCrop({ x: 0, y: 0, width: size, height: size }),
      16,
    );
    for (const v of out.subarray(3 * 17, 3 * 20)) assert.ok(Math.abs(v - 127.5) < 1, `${v}`);
  });
});
