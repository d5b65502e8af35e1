import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { luminanceStdDev } from '../../src/images/luminance.js';

function image(width: number, height: number, pixel: (i: number) => [number, number, number]) {
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(pixel(i), i * 3);
  return { data, width, height };
}

describe('luminanceStdDev', () => {
  it('is 0 for a flat image of any colour', () => {
    assert.equal(luminanceStdDev(image(40, 30, () => [0, 0, 0])), 0);
    // Up to floating-point rounding of sum of squares minus squared mean.
    assert.ok(luminanceStdDev(image(40, 30, () => [200, 30, 90])) < 0.01);
  });

  it('is half the range for an image of black and white in equal parts', () => {
    const checker = image(40, 30, (i) => (i % 2 === 0 ? [0, 0, 0] : [255, 255, 255]));
    assert.ok(Math.abs(luminanceStdDev(checker) - 127.5) < 1e-6);
  });

  it('weighs the channels as BT.601 luma: pure green is brighter than pure blue', () => {
    const greenOnBlack = image(10, 10, (i) => (i < 50 ? [0, 255, 0] : [0, 0, 0]));
    const blueOnBlack = image(10, 10, (i) => (i < 50 ? [0, 0, 255] : [0, 0, 0]));
    assert.ok(Math.abs(luminanceStdDev(greenOnBlack) - (0.587 * 255) / 2) < 1e-6);
    assert.ok(Math.abs(luminanceStdDev(blueOnBlack) - (0.114 * 255) / 2) < 1e-6);
  });

  it('samples large images (about 40,000 pixels) and still sees their spread', () => {
    // 1000×1000 with alternating rows: every sample step (25 pixels) keeps both kinds.
    const rows = image(1000, 1000, (i) => (Math.floor(i / 1000) % 2 === 0 ? [0, 0, 0] : [255, 255, 255]));
    assert.ok(Math.abs(luminanceStdDev(rows) - 127.5) < 1);
  });
});
