import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { iccDescription, isSrgbProfile } from '../../src/images/icc.js';
import { normalizeImage } from '../../src/images/normalize.js';

const photo = () => readFile(new URL('../../../../fixtures/faces/sad_test.jpg', import.meta.url));

/** Mean of each channel after decoding to sRGB (with or without applying the embedded profile). */
async function meanRgb(image: Buffer, opts: { ignoreIcc?: boolean } = {}): Promise<number[]> {
  const { data, info } = await sharp(image, opts)
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const sums = [0, 0, 0];
  for (let i = 0; i < data.length; i++)
    sums[i % info.channels] = (sums[i % info.channels] ?? 0) + (data[i] ?? 0);
  return sums.map((s) => s / (info.width * info.height));
}

describe('ICC profiles', () => {
  it('reads the description of a v4 (mluc) sRGB profile from a phone photo', async () => {
    const { icc } = await sharp(await photo()).metadata();
    assert.ok(icc);
    assert.equal(iccDescription(icc), 'sRGB');
    assert.equal(isSrgbProfile(icc), true);
  });

  it('does not take Display P3 or CMYK profiles, or none, for sRGB', async () => {
    for (const profile of ['p3', 'cmyk']) {
      const { icc } = await sharp(
        await sharp(await photo())
          .withIccProfile(profile)
          .jpeg()
          .toBuffer(),
      ).metadata();
      assert.ok(icc);
      assert.equal(isSrgbProfile(icc), false, profile);
    }
    assert.equal(isSrgbProfile(undefined), false);
    assert.equal(iccDescription(Buffer.from('not a profile')), undefined);
  });

  it('normalizeImage keeps the colours of an sRGB-tagged photo', async () => {
    const input = await photo();
    const converted = await meanRgb(input);
    const out = await meanRgb((await normalizeImage(input)).jpeg);
    for (const [i, v] of out.entries()) assert.ok(Math.abs(v - (converted[i] ?? 0)) < 1.5, `channel ${i}`);
  });

  it('normalizeImage converts a Display P3 photo to sRGB before dropping the profile', async () => {
    const p3 = await sharp(await photo())
      .withIccProfile('p3')
      .jpeg({ quality: 95 })
      .toBuffer();
    const converted = await meanRgb(p3);
    const untouched = await meanRgb(p3, { ignoreIcc: true });
    const out = await meanRgb((await normalizeImage(p3)).jpeg);
    const distance = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - (b[i] ?? 0))));
    assert.ok(
      distance(out, converted) < distance(out, untouched),
      `closer to the converted colours: ${out} vs ${converted} / ${untouched}`,
    );
    assert.ok(distance(out, converted) < 1.5);
  });
});
