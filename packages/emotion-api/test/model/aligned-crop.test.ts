import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  alignedCrop,
  boxCrop,
  cropBounds,
  FER_FRAMING,
  keypointsOf,
  LOOSE_FRAMING,
  type Point,
  raised,
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
  const { eyeLine: EYE_LINE, mouthLine: MOUTH_LINE, eyeDistance: EYE_DISTANCE } = FER_FRAMING;

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

  it('frames the same face more loosely for the loose framing, eyes lower', () => {
    const k = face(40, 40);
    const [fer, loose] = [alignedCrop(k, FER_FRAMING), alignedCrop(k, LOOSE_FRAMING)];
    assert.ok(loose.side > fer.side);
    close(toCropCoordinates(loose, k.leftEye)[1], LOOSE_FRAMING.eyeLine);
    close(toCropCoordinates(loose, k.mouth)[1] - toCropCoordinates(loose, k.leftEye)[1], 40 / loose.side);
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

  it('raises a crop along its own upright axis: the face sits lower in it, whatever the tilt', () => {
    for (const angle of [0, 0.3, -0.5]) {
      const k = face(60, 70, angle);
      const [crop, up] = [alignedCrop(k), raised(alignedCrop(k), 0.06)];
      close(up.side, crop.side);
      close(up.angle, crop.angle);
      const [eyeU, eyeV] = toCropCoordinates(up, k.leftEye);
      const [baseU, baseV] = toCropCoordinates(crop, k.leftEye);
      close(eyeU, baseU);
      close(eyeV, baseV + 0.06);
    }
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

  it('samples the crop: the whole image at its own size keeps a smooth ramp as it is', () => {
    const [w, h] = [6, 6];
    const data = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) data.fill(20 * x + 5, (y * w + x) * 3, (y * w + x) * 3 + 3);
    const out = sampleCrop({ data, width: w, height: h }, boxCrop({ x: 0, y: 0, width: w, height: h }), 6);
    // Away from the edges (where samples clamp), a linear ramp is reproduced exactly.
    for (let y = 1; y < h - 1; y++)
      for (let x = 1; x < w - 1; x++) close(out[(y * w + x) * 3] ?? -1, 20 * x + 5, 1e-3);
  });

  it('samples a crop turned by a quarter turn as the image rotated', () => {
    // A 4×4 image whose red value is 10 × its column: a crop turned a quarter turn sees that ramp
    // run down its rows instead (its x axis runs down the image, its y axis right to left).
    const data = new Uint8Array(16 * 3);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) data[(y * 4 + x) * 3] = 10 * x;
    const out = sampleCrop({ data, width: 4, height: 4 }, { cx: 2, cy: 2, side: 4, angle: Math.PI / 2 }, 4);
    const red = (row: number, col: number) => out[(row * 4 + col) * 3] ?? -1;
    close(red(1, 1), 20, 1e-3);
    close(red(2, 1), 10, 1e-3);
    close(red(1, 2), 20, 1e-3);
    assert.ok(red(0, 1) > red(3, 1), 'columns of the image become rows, right first');
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
