import { ProblemError } from '@emotion-app/protocol';
import { luminanceStdDev } from '../images/luminance.js';
import { DEFAULT_MAX_PIXELS, DETECT_MAX_SIDE, decodeRgb, type RgbPixels } from '../images/normalize.js';
import {
  byAreaDescending,
  clampBox,
  cropCoordinates,
  emotionRegion,
  isTightCrop,
  looksLikeFaceCrop,
  MIN_SIDE,
  mergeDetections,
  needsFullRange,
  toFullSize,
  wholeImage,
} from './geometry.js';
import { type HumanFace, type HumanInstance, loadEmotionModel, loadHuman, type Tf } from './human-loader.js';
import { MODEL_LABELS, toProbabilities, topEmotion } from './scores.js';
import type { Emotion, FaceBox, FaceEmotion } from './types.js';

export { MIN_SIDE } from './geometry.js';

const EMOTION_INPUT = 64;
/** RGB weights for grayscale (ITU-R BT.601 luma). */
const LUMA = [0.299, 0.587, 0.114];
/** Standard deviation of luminance (0–255) below which an image is blank. */
const BLANK_STDDEV = 4;

export interface InferenceOptions {
  /** Encoded images over this many pixels are refused before decoding (MAX_IMAGE_MEGAPIXELS). */
  maxPixels?: number;
}

/** Decodes to RGB at most DETECT_MAX_SIDE per side; 415 for bytes that are no readable image. */
async function decode(image: Uint8Array, maxPixels: number): Promise<RgbPixels> {
  try {
    // Colour profiles are ignored: exact colours do not matter for finding faces or for a grayscale
    // classifier, and the ICC transform would cost more than the decode itself.
    return await decodeRgb(image, { maxSide: DETECT_MAX_SIDE, maxPixels });
  } catch (err) {
    throw new ProblemError({
      code: 'unsupported_media_type',
      title: 'Unsupported image',
      detail: 'The image could not be decoded.',
      cause: err,
    });
  }
}

async function detectWith(human: HumanInstance, tensor: unknown): Promise<HumanFace[]> {
  const result = await human.detect(tensor);
  if (result.error) throw new Error(result.error);
  return result.face;
}

/** Runs detection and classification in one thread; the worker owns one of these. */
export class Inference {
  /**
   * Loaded on first use: selfies and webcam frames never need it, and its 256×256 activations
   * would grow each worker's WASM heap by about 17 MB for good.
   */
  private fullRange?: Promise<HumanInstance>;

  private constructor(
    private readonly shortRange: HumanInstance,
    private readonly emotionModel: { execute(input: unknown): unknown },
    private readonly maxPixels: number,
  ) {}

  static async create(opts: InferenceOptions = {}): Promise<Inference> {
    const shortRange = await loadHuman('short-range');
    const emotionModel = await loadEmotionModel(shortRange.tf);
    const inference = new Inference(shortRange, emotionModel, opts.maxPixels ?? DEFAULT_MAX_PIXELS);
    await inference.warmup();
    return inference;
  }

  private loadFullRange(): Promise<HumanInstance> {
    this.fullRange ??= loadHuman('full-range').catch((err: unknown) => {
      this.fullRange = undefined;
      throw err;
    });
    return this.fullRange;
  }

  private get tf(): Tf {
    return this.shortRange.tf;
  }

  /**
   * human's built-in warm-up needs a canvas: instead run every loaded model once on zeros of its
   * input shape (a blank image alone would never reach facemesh), then the whole pipeline.
   */
  private async warmup(): Promise<void> {
    for (const model of Object.values(this.shortRange.models.models)) {
      const shape = model?.inputs[0]?.shape;
      if (!model || !shape) continue;
      const input = this.tf.zeros(shape.map((d) => (d > 0 ? d : 1)));
      const output = model.execute(input) as { dispose(): void } | { dispose(): void }[];
      for (const t of Array.isArray(output) ? output : [output]) t.dispose();
      input.dispose();
    }
    const zeros = this.tf.zeros([256, 256, 3], 'int32');
    await this.shortRange.detect(zeros);
    zeros.dispose();
    const grey = this.tf.fill([EMOTION_INPUT, EMOTION_INPUT, 3], 128, 'int32');
    await this.classify(grey, [{ x: 0, y: 0, width: EMOTION_INPUT, height: EMOTION_INPUT }]);
    grey.dispose();
  }

  /** Encoded image bytes in; faces out, largest first. */
  async detect(image: Uint8Array): Promise<FaceEmotion[]> {
    return this.detectPixels(await decode(image, this.maxPixels));
  }

  /** Already decoded RGB pixels (see `decodeRgb`) in; faces out in full-size pixels, largest first. */
  async detectPixels(raw: RgbPixels): Promise<FaceEmotion[]> {
    if (raw.width < MIN_SIDE || raw.height < MIN_SIDE) return [];
    if (luminanceStdDev(raw) < BLANK_STDDEV) return [];
    const image = this.tf.tensor3d(raw.data, [raw.height, raw.width, 3], 'int32');
    try {
      const boxes = await this.faceRegions(image, raw);
      const all = await this.classify(image, boxes);
      const faces = boxes.map((box, i): FaceEmotion => {
        const probabilities = all[i] as Record<Emotion, number>;
        const emotion = topEmotion(probabilities);
        return { box: toFullSize(box, raw), emotion, confidence: probabilities[emotion], probabilities };
      });
      return faces.sort(byAreaDescending);
    } finally {
      image.dispose();
    }
  }

  /**
   * The regions to classify, in pixels of the decoded image: a tiny image is one face as it is;
   * otherwise the detectors' faces, or the whole image when they find none in what looks like a
   * tight face crop.
   */
  private async faceRegions(image: unknown, raw: RgbPixels): Promise<FaceBox[]> {
    const { width, height } = raw;
    if (isTightCrop(width, height)) return [wholeImage(width, height)];
    const boxes = await this.findFaces(image, width, height);
    if (boxes.length === 0 && looksLikeFaceCrop(width, height, raw.scale)) return [wholeImage(width, height)];
    return boxes;
  }

  /**
   * Face regions in pixels of the image: the short-range detector first (a quarter of the full-range
   * one's cost, and made for selfies and webcams), the full-range one as well when faces may be small.
   */
  private async findFaces(image: unknown, width: number, height: number): Promise<FaceBox[]> {
    let faces = await detectWith(this.shortRange, image);
    if (needsFullRange(faces, width, height)) {
      faces = mergeDetections(await detectWith(await this.loadFullRange(), image), faces);
    }
    return faces.map((f) => clampBox(emotionRegion(f), width, height));
  }

  /**
   * Exact softmax output of the emotion model for each box, renormalised to sum to 1. All boxes go
   * through the model as one batch: each is cut out at twice the model's 64×64 and averaged down
   * 2×2 (so a large face is not aliased), turned to grayscale and scaled to [-1, 1].
   */
  private async classify(image: unknown, boxes: FaceBox[]): Promise<Record<Emotion, number>[]> {
    if (boxes.length === 0) return [];
    const tf = this.tf;
    const input = tf.tidy(() => {
      const [height, width] = (image as { shape: number[] }).shape as [number, number];
      const normalised = cropCoordinates(boxes, width, height);
      const batch = tf.expandDims(tf.cast(image, 'float32'), 0);
      const crops = tf.image.cropAndResize(batch, normalised, new Array(boxes.length).fill(0), [
        2 * EMOTION_INPUT,
        2 * EMOTION_INPUT,
      ]);
      const small = tf.avgPool(crops, 2, 2, 'valid');
      const gray = tf.sum(tf.mul(small, tf.tensor1d(LUMA)), -1, true);
      return tf.sub(tf.div(gray, 127.5), 1);
    });
    const output = this.emotionModel.execute(input) as { data(): Promise<Float32Array>; dispose(): void };
    const scores = await output.data();
    input.dispose();
    output.dispose();
    return boxes.map((_, face) =>
      toProbabilities(scores.subarray(face * MODEL_LABELS.length, (face + 1) * MODEL_LABELS.length)),
    );
  }
}
