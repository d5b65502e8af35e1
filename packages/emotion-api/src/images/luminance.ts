import type { RgbPixels } from './normalize.js';

/** Pixels sampled at most, evenly spread: enough for a stable estimate on any image size. */
const SAMPLES = 40_000;

/** Standard deviation of the luminance (ITU-R BT.601, 0–255) of RGB pixels: near 0 for a blank image. */
export function luminanceStdDev(raw: Pick<RgbPixels, 'data' | 'width' | 'height'>): number {
  const pixels = raw.width * raw.height;
  const step = Math.max(1, Math.floor(pixels / SAMPLES));
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for (let p = 0; p < pixels; p += step) {
    const i = p * 3;
    const y = 0.299 * (raw.data[i] ?? 0) + 0.587 * (raw.data[i + 1] ?? 0) + 0.114 * (raw.data[i + 2] ?? 0);
    sum += y;
    sumSq += y * y;
    n++;
  }
  const mean = sum / n;
  return Math.sqrt(Math.max(0, sumSq / n - mean * mean));
}
