/**
 * POST /detect's work, without HTTP: decode and detect through the image queue and the model's
 * workers, apply the confidence policy, store the image and the row, and build the answer.
 */
import { randomUUID } from 'node:crypto';
import { ProblemError } from '@emotion-app/protocol';
import type { Detection } from '@emotion-app/protocol/emotion';
import { prepareImage } from '../images/normalize.js';
import type { BoundedQueue } from '../model/bounded-queue.js';
import type { EmotionDetector, FaceEmotion } from '../model/index.js';
import { findModel } from '../models/models.catalogue.js';
import type { PredictionStore } from '../predictions/predictions.store.js';
import { type Prediction, toDetection } from '../predictions/predictions.table.js';

/** Told about every detection the model made (the domain metrics). */
export interface DetectionObserver {
  /** `seconds`: the model's detection of one upload; `faces`: what it found (maybe none). */
  detected(model: string, seconds: number, faces: readonly FaceEmotion[]): void;
}

export interface DetectionDeps {
  /** Predictions and their images. */
  store: PredictionStore;
  detector: EmotionDetector;
  /** One slot per model worker; a full queue answers 503 server_busy. */
  detectQueue: BoundedQueue;
  /** MIN_CONFIDENCE: a top face below it answers 422 low_confidence (the prediction is still stored). */
  minConfidence: number;
  /** MAX_IMAGE_MEGAPIXELS in pixels: larger images answer 413 image_too_large. */
  maxImagePixels: number;
  observer?: DetectionObserver;
}

/** Who asked: the verified token's subject. */
export interface Requester {
  id: string;
}

export interface DetectOptions {
  /** Aborted when the client goes away: a waiting upload leaves the queue without running. */
  signal?: AbortSignal;
  /** A catalogue id (GET /models); absent: the default model. Another id is 400 validation_failed. */
  model?: string;
}

/** What the model saw: the re-encoded JPEG to store and the faces, largest first. */
interface Analysis {
  jpeg: Buffer;
  faces: FaceEmotion[];
}

function area(face: FaceEmotion): number {
  return face.box.width * face.box.height;
}

export class DetectionService {
  constructor(private readonly deps: DetectionDeps) {}

  /**
   * Detects the emotion of every face in `upload` (JPEG, PNG or WebP bytes) and stores it in
   * `user`'s history. The largest face is the answer. No face: 422 `no_face_detected`, nothing
   * stored. The largest face below `minConfidence`: stored, then 422 `low_confidence` with the
   * stored prediction in `prediction`. Bad images fail as `prepareImage` does (413, 415).
   */
  async detectAndStore(user: Requester, upload: Buffer, opts: DetectOptions = {}): Promise<Detection> {
    const model = findModel(opts.model)?.id;
    if (model === undefined) {
      throw new ProblemError({
        code: 'validation_failed',
        detail: `model ${JSON.stringify(opts.model)} is not one of GET /models`,
        errors: [{ path: 'model', message: 'must be the id of one of GET /models' }],
      });
    }
    const { jpeg, faces } = await this.analyse(upload, model, opts.signal);
    const top = faces[0];
    if (!top) {
      throw new ProblemError({ code: 'no_face_detected', detail: 'No face was found in the image.' });
    }
    const { minConfidence } = this.deps;
    const prediction = await this.store(user, jpeg, faces, model, top.confidence < minConfidence);
    const body = toDetection(prediction);
    if (prediction.lowConfidence) {
      throw new ProblemError({
        code: 'low_confidence',
        detail: `The best guess (${top.emotion}, ${top.confidence.toFixed(2)}) is below the minimum confidence ${minConfidence}.`,
        extensions: { prediction: body },
      });
    }
    return body;
  }

  /**
   * Decoding, detection and the re-encode hold one of the queue's slots (one per model worker), so
   * concurrent uploads of huge images cannot decode all at once. The JPEG re-encode (for storage)
   * runs while the model works on the small decoded pixels.
   */
  private async analyse(upload: Buffer, model: string, signal?: AbortSignal): Promise<Analysis> {
    const { detector, detectQueue, maxImagePixels, observer } = this.deps;
    const { jpeg, faces } = await detectQueue.run(async () => {
      const { normalized, pixels } = await prepareImage(upload, { maxPixels: maxImagePixels });
      const detection = pixels.then(async (p) => {
        const started = performance.now();
        const found = await detector.detect(upload, { pixels: p, model });
        observer?.detected(model, (performance.now() - started) / 1000, found);
        return found;
      });
      detection.catch(() => {});
      const { jpeg } = await normalized;
      return { jpeg, faces: await detection };
    }, signal);
    return { jpeg, faces: faces.slice().sort((a, b) => area(b) - area(a)) };
  }

  /** Stores the row and its image (both or neither). */
  private async store(
    user: Requester,
    jpeg: Buffer,
    faces: FaceEmotion[],
    model: string,
    lowConfidence: boolean,
  ): Promise<Prediction> {
    const top = faces[0] as FaceEmotion;
    const prediction: Prediction = {
      id: randomUUID(),
      userId: user.id,
      createdAt: new Date().toISOString(),
      emotion: top.emotion,
      confidence: top.confidence,
      probabilities: top.probabilities,
      faces,
      model,
      lowConfidence,
    };
    await this.deps.store.insert(prediction, jpeg);
    return prediction;
  }
}
