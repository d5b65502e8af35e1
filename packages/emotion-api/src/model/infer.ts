import { AppError } from '../errors.js';
import { DETECT_MAX_SIDE, decodeRgb, type RgbPixels } from '../images/normalize.js';
import { type HumanFace, type HumanInstance, loadEmotionModel, loadHuman, type Tf } from './human-loader.js';
import { EMOTIONS, type Emotion, type FaceBox, type FaceEmotion } from './types.js';

/** Output order of human's FER2013 (oarriaga) emotion model. */
const MODEL_LABELS: readonly Emotion[] = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'];
const EMOTION_INPUT = 64;
/** RGB weights for grayscale (ITU-R BT.601 luma). */
const LUMA = [0.299, 0.587, 0.114];
/** Images are decoded to at most this many pixels per side before detection; boxes are scaled back. */
const MAX_SIDE = DETECT_MAX_SIDE;
/** Smaller than this on either side: no face can be found or classified. */
export const MIN_SIDE = 24;
/** Up to this size (FER2013 crops are 48×48, the model's input is 64×64) an image is one face. */
const TIGHT_CROP_SIDE = 64;
/** A face-less image this small and this close to square is taken as a tight face crop. */
const CROP_MAX_SIDE = 512;
const CROP_MAX_ASPECT = 1.5;
/** Standard deviation of luminance (0–255) below which an image is blank. */
const BLANK_STDDEV = 4;
/** The emotion crop is the facemesh landmarks' bounding box grown by this fraction on each side. */
const MESH_MARGIN = 0.15;
/** Without landmarks, human's loose box (detector scale 1.4) loses this fraction on each side instead. */
const FACE_CROP = 0.15;
/**
 * The short-range detector misses faces narrower than about a sixth of the image's longer side:
 * when it finds none, or its largest face (human's loose box) is narrower than this fraction of
 * that side, the full-range detector looks too, so group photos and distant faces are still found.
 */
const SHORT_RANGE_MIN_FACE = 1 / 3;
/** Two detections overlapping more than this (intersection over union) are the same face. */
const SAME_FACE_IOU = 0.3;

type Raw = RgbPixels;

async function decode(image: Uint8Array): Promise<Raw> {
  try {
    // Colour profiles are ignored: exact colours do not matter for finding faces or for a grayscale
    // classifier, and the ICC transform would cost more than the decode itself.
    return await decodeRgb(image, { maxSide: MAX_SIDE, maxPixels: 40_000_000 });
  } catch (err) {
    throw new AppError(
      415,
      'unsupported_media_type',
      'Unsupported image',
      'The image could not be decoded.',
      undefined,
      {
        cause: err,
      },
    );
  }
}

function luminanceStdDev(raw: Raw): number {
  const pixels = raw.width * raw.height;
  const step = Math.max(1, Math.floor(pixels / 40_000));
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

function iou(a: HumanFace['box'], b: HumanFace['box']): number {
  const w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / (a[2] * a[3] + b[2] * b[3] - w * h);
}

/** The region the emotion model sees: the landmarks' bounds plus a margin, or the shrunk detector box. */
function emotionRegion(face: HumanFace): FaceBox {
  if (face.mesh.length > 0) {
    let [minX, minY, maxX, maxY] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 0, 0];
    for (const [x, y] of face.mesh) {
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
    const [w, h] = [maxX - minX, maxY - minY];
    return {
      x: minX - w * MESH_MARGIN,
      y: minY - h * MESH_MARGIN,
      width: w * (1 + 2 * MESH_MARGIN),
      height: h * (1 + 2 * MESH_MARGIN),
    };
  }
  const [x, y, w, h] = face.box;
  return {
    x: x + w * FACE_CROP,
    y: y + h * FACE_CROP,
    width: w * (1 - 2 * FACE_CROP),
    height: h * (1 - 2 * FACE_CROP),
  };
}

function clampBox(box: FaceBox, width: number, height: number): FaceBox {
  const x = Math.max(0, Math.min(width - 1, Math.round(box.x)));
  const y = Math.max(0, Math.min(height - 1, Math.round(box.y)));
  const w = Math.max(1, Math.min(width - x, Math.round(box.width)));
  const h = Math.max(1, Math.min(height - y, Math.round(box.height)));
  return { x, y, width: w, height: h };
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
  ) {}

  static async create(): Promise<Inference> {
    const shortRange = await loadHuman('short-range');
    const emotionModel = await loadEmotionModel(shortRange.tf);
    const inference = new Inference(shortRange, emotionModel);
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
    return this.detectPixels(await decode(image));
  }

  /** Already decoded RGB pixels (see `decodeRgb`) in; faces out in full-size pixels, largest first. */
  async detectPixels(raw: Raw): Promise<FaceEmotion[]> {
    if (raw.width < MIN_SIDE || raw.height < MIN_SIDE) return [];
    if (luminanceStdDev(raw) < BLANK_STDDEV) return [];
    const image = this.tf.tensor3d(raw.data, [raw.height, raw.width, 3], 'int32');
    try {
      const whole: FaceBox = { x: 0, y: 0, width: raw.width, height: raw.height };
      let boxes: FaceBox[];
      if (Math.max(raw.width, raw.height) <= TIGHT_CROP_SIDE) {
        boxes = [whole];
      } else {
        boxes = await this.findFaces(image, raw.width, raw.height);
        const aspect = Math.max(raw.width, raw.height) / Math.min(raw.width, raw.height);
        if (
          boxes.length === 0 &&
          Math.max(raw.width, raw.height) * raw.scale <= CROP_MAX_SIDE &&
          aspect <= CROP_MAX_ASPECT
        ) {
          boxes = [whole];
        }
      }
      const all = await this.classify(image, boxes);
      const fullWidth = Math.round(raw.width * raw.scale);
      const fullHeight = Math.round(raw.height * raw.scale);
      const faces = boxes.map((box, i): FaceEmotion => {
        const probabilities = all[i] as Record<Emotion, number>;
        const emotion = EMOTIONS.reduce(
          (best, e) => (probabilities[e] > probabilities[best] ? e : best),
          EMOTIONS[0],
        );
        const scaled = clampBox(
          {
            x: box.x * raw.scale,
            y: box.y * raw.scale,
            width: box.width * raw.scale,
            height: box.height * raw.scale,
          },
          fullWidth,
          fullHeight,
        );
        return { box: scaled, emotion, confidence: probabilities[emotion], probabilities };
      });
      faces.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
      return faces;
    } finally {
      image.dispose();
    }
  }

  /**
   * Face regions in pixels of the image: the short-range detector first (a quarter of the full-range
   * one's cost, and made for selfies and webcams), the full-range one as well when faces may be small.
   */
  private async findFaces(image: unknown, width: number, height: number): Promise<FaceBox[]> {
    let faces = await detectWith(this.shortRange, image);
    const largest = Math.max(0, ...faces.map((f) => f.box[2]));
    if (largest < SHORT_RANGE_MIN_FACE * Math.max(width, height)) {
      const distant = await detectWith(await this.loadFullRange(), image);
      faces = [...distant, ...faces.filter((f) => distant.every((d) => iou(d.box, f.box) <= SAME_FACE_IOU))];
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
      const normalised = boxes.map((b) => [
        b.y / (height - 1),
        b.x / (width - 1),
        (b.y + b.height - 1) / (height - 1),
        (b.x + b.width - 1) / (width - 1),
      ]);
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
    return boxes.map((_, face) => {
      const row = scores.subarray(face * MODEL_LABELS.length, (face + 1) * MODEL_LABELS.length);
      let total = 0;
      for (const s of row) total += Math.max(0, s);
      const probabilities = Object.fromEntries(EMOTIONS.map((e) => [e, 0])) as Record<Emotion, number>;
      MODEL_LABELS.forEach((label, i) => {
        probabilities[label] = total > 0 ? Math.max(0, row[i] ?? 0) / total : 1 / EMOTIONS.length;
      });
      return probabilities;
    });
  }
}
