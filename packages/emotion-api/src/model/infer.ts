import { ProblemError } from '@emotion-app/protocol';
import { luminanceStdDev } from '../images/luminance.js';
import { DEFAULT_MAX_PIXELS, DETECT_MAX_SIDE, decodeRgb, type RgbPixels } from '../images/normalize.js';
import {
  type AlignedCrop,
  alignedCrop,
  boxCrop,
  FER_FRAMING,
  HUMAN_RAISE,
  keypointsOf,
  LOOSE_FRAMING,
  raised,
} from './aligned-crop.js';
import { Classifiers, type NetworkCrops } from './classify.js';
import type { MemberScores } from './ensemble.js';
import { loadFaceapiNet } from './faceapi-net.js';
import { modelId } from './model-id.js';
import {
  byAreaDescending,
  clampBox,
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
import { topEmotion } from './scores.js';
import type { Emotion, FaceBox, FaceEmotion } from './types.js';

export { MIN_SIDE } from './geometry.js';

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

/** Both networks, on the crops and their mirror images. */
const ALL = { human: true, faceapi: true, mirror: true };

/** A face to classify: the box answered for it, the aligned square the networks see, its landmarks. */
export interface Region {
  box: FaceBox;
  crop: NetworkCrops;
  mesh: readonly (readonly number[])[];
}

function regionOf(face: HumanFace, width: number, height: number): Region {
  const box = clampBox(emotionRegion(face), width, height);
  const keypoints = keypointsOf(face.mesh);
  const crop = keypoints
    ? networkCrops(alignedCrop(keypoints, FER_FRAMING), alignedCrop(keypoints, LOOSE_FRAMING))
    : networkCrops(boxCrop(box), boxCrop(box));
  return { box, crop, mesh: face.mesh };
}

function whole(width: number, height: number): Region {
  const box = wholeImage(width, height);
  return { box, crop: networkCrops(boxCrop(box), boxCrop(box)), mesh: [] };
}

/** Each network's square: human's raised as it reads best (HUMAN_RAISE). */
function networkCrops(fer: AlignedCrop, loose: AlignedCrop): NetworkCrops {
  return { human: raised(fer, HUMAN_RAISE), faceapi: loose };
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
    private readonly classifiers: Classifiers,
    private readonly maxPixels: number,
  ) {}

  static async create(opts: InferenceOptions = {}): Promise<Inference> {
    const shortRange = await loadHuman('short-range');
    const classifiers = new Classifiers(
      shortRange.tf,
      await loadEmotionModel(shortRange.tf),
      await loadFaceapiNet(shortRange.tf),
    );
    const inference = new Inference(shortRange, classifiers, opts.maxPixels ?? DEFAULT_MAX_PIXELS);
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
    const grey = { data: new Uint8Array(64 * 64 * 3).fill(128), width: 64, height: 64 };
    const crop = boxCrop(wholeImage(64, 64));
    await this.classifiers.members(grey, [{ human: crop, faceapi: crop }], ALL);
  }

  /** Encoded image bytes in; faces out, largest first. */
  async detect(image: Uint8Array, model?: string): Promise<FaceEmotion[]> {
    return this.detectPixels(await decode(image, this.maxPixels), modelId(model));
  }

  /** Already decoded RGB pixels (see `decodeRgb`) in; faces out in full-size pixels, largest first. */
  async detectPixels(raw: RgbPixels, model?: string): Promise<FaceEmotion[]> {
    const id = modelId(model);
    const regions = await this.regions(raw);
    const all = await this.classifiers.classify(
      raw,
      regions.map((r) => r.crop),
      id,
    );
    const faces = regions.map(({ box }, i): FaceEmotion => {
      const probabilities = all[i] as Record<Emotion, number>;
      const emotion = topEmotion(probabilities);
      return { box: toFullSize(box, raw), emotion, confidence: probabilities[emotion], probabilities };
    });
    return faces.sort(byAreaDescending);
  }

  /** Every network's scores for each face, mirror images included (for scripts/fit-ensemble.ts). */
  async memberScores(raw: RgbPixels): Promise<MemberScores[]> {
    const regions = await this.regions(raw);
    return this.classifiers.members(
      raw,
      regions.map((r) => r.crop),
      ALL,
    );
  }

  /** The faces found in `raw` with the aligned crop of each, in pixels of `raw` (for tests and scripts). */
  async regions(raw: RgbPixels): Promise<Region[]> {
    if (raw.width < MIN_SIDE || raw.height < MIN_SIDE) return [];
    if (luminanceStdDev(raw) < BLANK_STDDEV) return [];
    const image = this.tf.tensor3d(raw.data, [raw.height, raw.width, 3], 'int32');
    try {
      return await this.faceRegions(image, raw);
    } finally {
      image.dispose();
    }
  }

  /**
   * The regions to classify, in pixels of the decoded image: a tiny image is one face as it is;
   * otherwise the detectors' faces, or the whole image when they find none in what looks like a
   * tight face crop.
   */
  private async faceRegions(image: unknown, raw: RgbPixels): Promise<Region[]> {
    const { width, height } = raw;
    if (isTightCrop(width, height)) return [whole(width, height)];
    const regions = await this.findFaces(image, width, height);
    if (regions.length === 0 && looksLikeFaceCrop(width, height, raw.scale)) return [whole(width, height)];
    return regions;
  }

  /**
   * Face regions in pixels of the image: the short-range detector first (a quarter of the full-range
   * one's cost, and made for selfies and webcams), the full-range one as well when faces may be small.
   */
  private async findFaces(image: unknown, width: number, height: number): Promise<Region[]> {
    let faces = await detectWith(this.shortRange, image);
    if (needsFullRange(faces, width, height)) {
      faces = mergeDetections(await detectWith(await this.loadFullRange(), image), faces);
    }
    return faces.map((f) => regionOf(f, width, height));
  }
}
