import sharp from 'sharp';
import { AppError } from '../errors.js';
import { DETECT_MAX_SIDE, decodeRgb, type RgbPixels } from '../images/normalize.js';
import { type HumanInstance, loadEmotionModel, loadHuman, type Tf } from './human-loader.js';
import { EMOTIONS, type Emotion, type FaceBox, type FaceEmotion } from './types.js';

/** Output order of human's FER2013 (oarriaga) emotion model. */
const MODEL_LABELS: readonly Emotion[] = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'];
const EMOTION_INPUT = 64;
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
/** human's face box is loose (detector scale 1.4): cut this fraction off each side for the emotion crop. */
const FACE_CROP = 0.15;

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

function clampBox(box: FaceBox, width: number, height: number): FaceBox {
  const x = Math.max(0, Math.min(width - 1, Math.round(box.x)));
  const y = Math.max(0, Math.min(height - 1, Math.round(box.y)));
  const w = Math.max(1, Math.min(width - x, Math.round(box.width)));
  const h = Math.max(1, Math.min(height - y, Math.round(box.height)));
  return { x, y, width: w, height: h };
}

/** Runs detection and classification in one thread; the worker owns one of these. */
export class Inference {
  private constructor(
    private readonly human: HumanInstance,
    private readonly emotionModel: { execute(input: unknown): unknown },
  ) {}

  static async create(): Promise<Inference> {
    const human = await loadHuman();
    const emotionModel = await loadEmotionModel(human.tf);
    const inference = new Inference(human, emotionModel);
    await inference.warmup();
    return inference;
  }

  private get tf(): Tf {
    return this.human.tf;
  }

  /**
   * human's built-in warm-up needs a canvas: instead run every loaded model once on zeros of its
   * input shape (a blank image alone would never reach facemesh), then the whole pipeline.
   */
  private async warmup(): Promise<void> {
    for (const model of Object.values(this.human.models.models)) {
      const shape = model?.inputs[0]?.shape;
      if (!model || !shape) continue;
      const input = this.tf.zeros(shape.map((d) => (d > 0 ? d : 1)));
      const output = model.execute(input) as { dispose(): void } | { dispose(): void }[];
      for (const t of Array.isArray(output) ? output : [output]) t.dispose();
      input.dispose();
    }
    const zeros = this.tf.zeros([256, 256, 3], 'int32');
    await this.human.detect(zeros);
    zeros.dispose();
    await this.classify(Buffer.alloc(EMOTION_INPUT * EMOTION_INPUT, 128));
  }

  /** Encoded image bytes in; faces out, largest first. */
  async detect(image: Uint8Array): Promise<FaceEmotion[]> {
    return this.detectPixels(await decode(image));
  }

  /** Already decoded RGB pixels (see `decodeRgb`) in; faces out in full-size pixels, largest first. */
  async detectPixels(raw: Raw): Promise<FaceEmotion[]> {
    if (raw.width < MIN_SIDE || raw.height < MIN_SIDE) return [];
    if (luminanceStdDev(raw) < BLANK_STDDEV) return [];
    const whole: FaceBox = { x: 0, y: 0, width: raw.width, height: raw.height };
    let boxes: FaceBox[];
    if (Math.max(raw.width, raw.height) <= TIGHT_CROP_SIDE) {
      boxes = [whole];
    } else {
      boxes = await this.findFaces(raw);
      const aspect = Math.max(raw.width, raw.height) / Math.min(raw.width, raw.height);
      if (
        boxes.length === 0 &&
        Math.max(raw.width, raw.height) * raw.scale <= CROP_MAX_SIDE &&
        aspect <= CROP_MAX_ASPECT
      ) {
        boxes = [whole];
      }
    }
    const faces: FaceEmotion[] = [];
    for (const box of boxes) {
      const crop = await this.cropGray(raw, box);
      const probabilities = await this.classify(crop);
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
        Math.round(raw.width * raw.scale),
        Math.round(raw.height * raw.scale),
      );
      faces.push({ box: scaled, emotion, confidence: probabilities[emotion], probabilities });
    }
    faces.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
    return faces;
  }

  /** Face boxes in pixels of `raw`, shrunk from human's loose box to the face itself. */
  private async findFaces(raw: Raw): Promise<FaceBox[]> {
    const tensor = this.tf.tensor3d(raw.data, [raw.height, raw.width, 3], 'int32');
    try {
      const result = await this.human.detect(tensor);
      if (result.error) throw new Error(result.error);
      return result.face.map((f) => {
        const [x, y, w, h] = f.box;
        return clampBox(
          {
            x: x + w * FACE_CROP,
            y: y + h * FACE_CROP,
            width: w * (1 - 2 * FACE_CROP),
            height: h * (1 - 2 * FACE_CROP),
          },
          raw.width,
          raw.height,
        );
      });
    } finally {
      tensor.dispose();
    }
  }

  /** The box cut out, resized to the model's 64×64 with an antialiasing filter, as 8-bit grayscale. */
  private async cropGray(raw: Raw, box: FaceBox): Promise<Buffer> {
    return sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 3 } })
      .extract({ left: box.x, top: box.y, width: box.width, height: box.height })
      .resize(EMOTION_INPUT, EMOTION_INPUT, { fit: 'fill' })
      .grayscale()
      .raw()
      .toBuffer();
  }

  /** Exact softmax output of the emotion model over the seven labels, renormalised to sum to 1. */
  private async classify(gray: Buffer): Promise<Record<Emotion, number>> {
    const input = new Float32Array(EMOTION_INPUT * EMOTION_INPUT);
    for (let i = 0; i < input.length; i++) input[i] = ((gray[i] ?? 0) / 255 - 0.5) * 2;
    const tensor = this.tf.tensor4d(input, [1, EMOTION_INPUT, EMOTION_INPUT, 1]);
    const output = this.emotionModel.execute(tensor) as { data(): Promise<Float32Array>; dispose(): void };
    const scores = await output.data();
    tensor.dispose();
    output.dispose();
    let total = 0;
    for (const s of scores) total += Math.max(0, s);
    const probabilities = Object.fromEntries(EMOTIONS.map((e) => [e, 0])) as Record<Emotion, number>;
    MODEL_LABELS.forEach((label, i) => {
      probabilities[label] = total > 0 ? Math.max(0, scores[i] ?? 0) / total : 1 / EMOTIONS.length;
    });
    return probabilities;
  }
}
