import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { ProblemError } from '@emotion-app/protocol';
import { DETECT_MAX_SIDE, normalizeImage, prepareImage, sniffImageType } from '../../src/images/normalize.js';

const fixture = (name: string) => readFile(new URL(`../../../../fixtures/faces/${name}`, import.meta.url));

async function rejectsWith(promise: Promise<unknown>, status: number, code: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ProblemError, `expected ProblemError, got ${String(err)}`);
    assert.equal(err.status, status);
    assert.equal(err.code, code);
    return true;
  });
}

describe('normalizeImage', () => {
  it('re-encodes a JPEG photo to a JPEG of the same size', async () => {
    const input = await fixture('Happy-test.jpg');
    const out = await normalizeImage(input);
    assert.equal(sniffImageType(out.jpeg), 'jpeg');
    assert.deepEqual([out.width, out.height], [607, 1079]);
    const meta = await sharp(out.jpeg).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 607, 1079]);
  });

  it('accepts PNG and WebP made from a photo and returns JPEG', async () => {
    const input = await fixture('sad_test.jpg');
    for (const encoded of [await sharp(input).png().toBuffer(), await sharp(input).webp().toBuffer()]) {
      const out = await normalizeImage(encoded);
      assert.equal((await sharp(out.jpeg).metadata()).format, 'jpeg');
      assert.deepEqual([out.width, out.height], [607, 1080]);
    }
  });

  it('returns 415 unsupported_media_type for a text file', async () => {
    await rejectsWith(
      normalizeImage(Buffer.from('hello, this is not an image\n')),
      415,
      'unsupported_media_type',
    );
  });

  it('returns 415 for a file that only starts like a JPEG', async () => {
    await rejectsWith(
      normalizeImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4])),
      415,
      'unsupported_media_type',
    );
  });

  it('returns 415 unsupported_media_type for a truncated JPEG', async () => {
    const input = await fixture('neutral_test.jpg');
    await rejectsWith(
      normalizeImage(input.subarray(0, Math.floor(input.length / 2))),
      415,
      'unsupported_media_type',
    );
  });

  it('returns 415 for an image type other than JPEG, PNG or WebP (GIF)', async () => {
    const gif = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#336699' } })
      .gif()
      .toBuffer();
    await rejectsWith(normalizeImage(gif), 415, 'unsupported_media_type');
  });

  it('returns 413 image_too_large for a 20000×20000 PNG from its header, without decoding it', async () => {
    const bomb = await sharp({
      create: { width: 20_000, height: 20_000, channels: 3, background: '#808080' },
      limitInputPixels: false,
    })
      .png()
      .toBuffer();
    assert.ok(bomb.length < 5 * 1024 * 1024, `the bomb is small when compressed (${bomb.length} bytes)`);
    const rssBefore = process.memoryUsage().rss;
    await rejectsWith(normalizeImage(bomb), 413, 'image_too_large');
    // Decoding 400 megapixels would need over a gigabyte; the header check allocates nothing like it.
    assert.ok(process.memoryUsage().rss - rssBefore < 256 * 1024 * 1024);
  });

  it('honours a lower maxPixels', async () => {
    await rejectsWith(
      normalizeImage(await fixture('Happy-test.jpg'), { maxPixels: 100_000 }),
      413,
      'image_too_large',
    );
  });

  it('strips EXIF metadata and applies the EXIF orientation', async () => {
    const tagged = await sharp(await fixture('Happy-test.jpg'))
      .withExif({ IFD0: { Copyright: 'secret-owner', Artist: 'someone' } })
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const taggedMeta = await sharp(tagged).metadata();
    assert.ok(taggedMeta.exif, 'the input carries EXIF');
    assert.equal(taggedMeta.orientation, 6);

    const out = await normalizeImage(tagged);
    const meta = await sharp(out.jpeg).metadata();
    assert.equal(meta.exif, undefined);
    assert.equal(meta.icc, undefined);
    assert.equal(meta.xmp, undefined);
    assert.equal(meta.orientation, undefined);
    assert.ok(!out.jpeg.includes('secret-owner'));
    // Orientation 6 means "rotate 90° clockwise": the portrait photo becomes landscape.
    assert.deepEqual([out.width, out.height], [1079, 607]);
  });

  it('prepareImage: the same JPEG as normalizeImage plus RGB pixels scaled to DETECT_MAX_SIDE', async () => {
    const input = await fixture('Happy-test.jpg');
    const { normalized, pixels } = await prepareImage(input);
    const [out, px] = [await normalized, await pixels];
    assert.deepEqual([out.width, out.height], [607, 1079]);
    assert.deepEqual(out.jpeg, (await normalizeImage(input)).jpeg);
    const width = Math.round((607 / 1079) * DETECT_MAX_SIDE);
    assert.deepEqual([px.width, px.height], [width, DETECT_MAX_SIDE]);
    assert.equal(px.data.length, width * DETECT_MAX_SIDE * 3);
    assert.ok(Math.abs(px.scale * px.width - 607) < 1e-9);
  });

  it('prepareImage: a PNG gives the same JPEG as normalizeImage and pixels of that JPEG, decoded once', async () => {
    const png = await sharp(await fixture('Happy-test.jpg'))
      .png()
      .toBuffer();
    const { normalized, pixels } = await prepareImage(png);
    const [out, px] = [await normalized, await pixels];
    assert.deepEqual(out.jpeg, (await normalizeImage(png)).jpeg);
    const width = Math.round((607 / 1079) * DETECT_MAX_SIDE);
    assert.deepEqual([px.width, px.height], [width, DETECT_MAX_SIDE]);
    assert.ok(Math.abs(px.scale * px.width - 607) < 1e-9);
    const fromJpeg = await sharp(out.jpeg)
      .resize({ width: DETECT_MAX_SIDE, height: DETECT_MAX_SIDE, fit: 'inside' })
      .raw()
      .toBuffer();
    assert.deepEqual(px.data, fromJpeg);
  });

  it('prepareImage refuses what normalizeImage refuses, before decoding', async () => {
    await rejectsWith(prepareImage(Buffer.from('not an image')), 415, 'unsupported_media_type');
    const png = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#888' } })
      .png()
      .toBuffer();
    await rejectsWith(prepareImage(png, { maxPixels: 10_000 }), 413, 'image_too_large');
    const jpeg = await fixture('sad_test.jpg');
    const { normalized, pixels } = await prepareImage(jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    await rejectsWith(normalized, 415, 'unsupported_media_type');
    await rejectsWith(pixels, 415, 'unsupported_media_type');
  });
});
