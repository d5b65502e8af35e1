import sharp, { type Metadata } from 'sharp';
import { ProblemError } from '@emotion-app/protocol';
import { isSrgbProfile } from './icc.js';

export interface NormalizedImage {
  jpeg: Buffer;
  width: number;
  height: number;
}

export const DEFAULT_MAX_PIXELS = 40_000_000;
const JPEG_QUALITY = 85;

type Kind = 'jpeg' | 'png' | 'webp';

/** The image type from the first bytes, whatever the file name or Content-Type claim. */
export function sniffImageType(bytes: Uint8Array): Kind | undefined {
  const b = (i: number) => bytes[i] ?? -1;
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'jpeg';
  if ([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b(i) === v)) return 'png';
  const ascii = (from: number, to: number) => Buffer.from(bytes.subarray(from, to)).toString('latin1');
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  return undefined;
}

function unsupported(detail: string, cause?: unknown): ProblemError {
  return new ProblemError({ code: 'unsupported_media_type', detail, cause });
}

/** RGB pixels (3 channels, 8 bits, row-major) scaled down for detection; `scale` maps them back. */
export interface RgbPixels {
  data: Buffer;
  width: number;
  height: number;
  /** Width of the full (EXIF-rotated) image divided by `width`: box coordinates × scale = full-size pixels. */
  scale: number;
}

/**
 * Detection sees at most this many pixels per side: the face detectors work on 128 or 256 px and
 * facemesh on 192 px crops, and a phone photo decodes about a third faster at 360 than at 480.
 */
export const DETECT_MAX_SIDE = 360;

/**
 * Decodes to RGB pixels at most `maxSide` per side (JPEG shrink-on-load makes this cheap), EXIF
 * rotation applied and alpha flattened on white, as `normalizeImage` does. Colour profiles other
 * than sRGB are converted only when `convertIcc` is set (the detector itself ignores them).
 */
export async function decodeRgb(
  image: Uint8Array,
  opts: { maxSide?: number; maxPixels?: number; convertIcc?: boolean; meta?: Metadata } = {},
): Promise<RgbPixels> {
  const maxSide = opts.maxSide ?? DETECT_MAX_SIDE;
  const meta = opts.meta ?? (await sharp(image).metadata());
  const ignoreIcc = !opts.convertIcc || isSrgbProfile(meta.icc);
  const { data, info } = await sharp(image, {
    failOn: 'error',
    limitInputPixels: opts.maxPixels ?? DEFAULT_MAX_PIXELS,
    ignoreIcc,
  })
    .rotate()
    .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`unexpected channel count ${info.channels}`);
  const rotated = (meta.orientation ?? 1) >= 5;
  const origWidth = (rotated ? meta.height : meta.width) ?? info.width;
  return { data, width: info.width, height: info.height, scale: origWidth / info.width };
}

/** Sniffs the type and reads the header: 415 for anything that is not a readable image, 413 over `maxPixels`. */
async function inspect(upload: Buffer, maxPixels: number): Promise<Metadata> {
  const kind = sniffImageType(upload);
  if (!kind) throw unsupported('Only JPEG, PNG and WebP images are accepted.');

  let meta: Metadata;
  try {
    // Reads the header only; the pixel limit is checked below with a proper 413.
    meta = await sharp(upload, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw unsupported('The image could not be read.', err);
  }
  if (meta.format !== kind || !meta.width || !meta.height) throw unsupported('The image could not be read.');
  const frameHeight = meta.pageHeight ?? meta.height;
  if (meta.width * frameHeight > maxPixels) {
    throw new ProblemError({
      code: 'image_too_large',
      detail: `The image is ${meta.width}×${frameHeight} pixels; at most ${maxPixels} pixels are accepted.`,
    });
  }
  return meta;
}

async function encode(upload: Buffer, meta: Metadata, maxPixels: number): Promise<NormalizedImage> {
  try {
    // Pixels tagged with an sRGB profile are sRGB already: skip the (slow) colour transform.
    // Any other profile (Display P3, Adobe RGB, CMYK) is converted, since the output carries none.
    const ignoreIcc = isSrgbProfile(meta.icc);
    const { data, info } = await sharp(upload, { failOn: 'error', limitInputPixels: maxPixels, ignoreIcc })
      .rotate()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .jpeg({ quality: JPEG_QUALITY, optimiseCoding: false })
      .toBuffer({ resolveWithObject: true });
    return { jpeg: data, width: info.width, height: info.height };
  } catch (err) {
    throw unsupported('The image is corrupt or truncated.', err);
  }
}

/**
 * Checks the bytes are JPEG, PNG or WebP by content, refuses more than `maxPixels` from the header
 * before decoding (413 `image_too_large`), decodes strictly (truncated or corrupt data: 415
 * `unsupported_media_type`, as for anything that is not an image), applies the EXIF orientation
 * and re-encodes to JPEG with no metadata at all (EXIF, GPS, ICC, XMP are dropped).
 */
export async function normalizeImage(
  upload: Buffer,
  opts: { maxPixels?: number } = {},
): Promise<NormalizedImage> {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  return encode(upload, await inspect(upload, maxPixels), maxPixels);
}

/**
 * `normalizeImage` and the detector's pixels at once: after the same header checks (which throw
 * here), decodes a small RGB copy of a JPEG first (shrink-on-load) and starts the JPEG re-encode
 * once it is done, so the re-encode runs while the model works on the pixels instead of slowing
 * their decode down. A PNG or WebP is decoded once: re-encoded first, pixels from that JPEG.
 * `normalized` rejects as `normalizeImage` would; the pixels are those of the same (rotated,
 * flattened, sRGB) image, scaled to `maxSide`.
 */
export async function prepareImage(
  upload: Buffer,
  opts: { maxPixels?: number; maxSide?: number } = {},
): Promise<{ normalized: Promise<NormalizedImage>; pixels: Promise<RgbPixels> }> {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  const meta = await inspect(upload, maxPixels);
  if (meta.format !== 'jpeg') {
    // PNG and WebP have no shrink-on-load, so decoding them twice (pixels, then the JPEG) would
    // double the work and the memory of a huge image: encode the JPEG first and take the pixels
    // from it, where JPEG shrink-on-load makes them cheap (same rotation, flattening and sRGB).
    const normalized = encode(upload, meta, maxPixels);
    const pixels = normalized.then((out) =>
      decodeRgb(out.jpeg, { maxSide: opts.maxSide, maxPixels }).catch((err: unknown) => {
        throw unsupported('The image is corrupt or truncated.', err);
      }),
    );
    normalized.catch(() => {});
    pixels.catch(() => {});
    return { normalized, pixels };
  }
  const pixels = decodeRgb(upload, { maxSide: opts.maxSide, maxPixels, convertIcc: true, meta }).catch(
    (err: unknown) => {
      throw unsupported('The image is corrupt or truncated.', err);
    },
  );
  const reencode = () => encode(upload, meta, maxPixels);
  const normalized = pixels.then(reencode, reencode);
  // Whichever the caller awaits second must not count as unhandled if the first one throws.
  normalized.catch(() => {});
  pixels.catch(() => {});
  return { normalized, pixels };
}
