/** The five fixture photos (fixtures/faces), decoded as the detector decodes an upload. */
import { readdir, readFile } from 'node:fs/promises';
import { DETECT_MAX_SIDE, decodeRgb, type RgbPixels } from '../../src/images/normalize.js';

const faces = new URL('../../../../fixtures/faces/', import.meta.url);

export async function decodedPhotos(): Promise<{ name: string; raw: RgbPixels }[]> {
  const names = (await readdir(faces)).filter((n) => /\.jpe?g$/i.test(n)).sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      raw: await decodeRgb(await readFile(new URL(name, faces)), { maxSide: DETECT_MAX_SIDE }),
    })),
  );
}
