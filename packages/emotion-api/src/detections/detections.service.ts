/**
 * POST /detect's work, without HTTP: decode and detect through the image queue and the model's
 * workers, apply the confidence policy, store the image and the row, and build the answer.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.js';
import { ProblemError } from '@emotion-app/protocol';
import type { Detection } from '@emotion-app/protocol/emotion';
import { prepareImage } from '../images/normalize.js';
import type { BoundedQueue } from '../model/bounded-queue.js';
import type { EmotionDetector, FaceEmotion } from '../model/index.js';
import { type Prediction, toDetection } from '../predictions/predictions.table.js';
import type { ImageStore } from '../storage/image-store.js';
import { insertPrediction } from './detections.repository.js';

export interface DetectionDeps {
  db: Db;
  images: ImageStore;
  detector: EmotionDetector;
  /** One slot per model worker; a full queue answers 503 server_busy. */
  detectQueue: BoundedQueue;
  /** MIN_CONFIDENCE: a top face below it answers 422 low_confidence (the prediction is still stored). */
  minConfidence: number;
  /** MAX_IMAGE_MEGAPIXELS in pixels: larger images answer 413 image_too_large. */
  maxImagePixels: number;
}

/** Who asked: the verified token's subject. */
export interface Requester {
  id: string;
}

export interface DetectOptions {
  /** Aborted when the client goes away: a waiting upload leaves the queue without running. */
  signal?: AbortSignal;
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
    const { jpeg, faces } = await this.analyse(upload, opts.signal);
    const top = faces[0];
    if (!top) {
      throw new ProblemError({ code: 'no_face_detected', detail: 'No face was found in the image.' });
    }
    const { minConfidence } = this.deps;
    const prediction = await this.store(user, jpeg, faces, top.confidence < minConfidence);
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
  private async analyse(upload: Buffer, signal?: AbortSignal): Promise<Analysis> {
    const { detector, detectQueue, maxImagePixels } = this.deps;
    const { jpeg, faces } = await detectQueue.run(async () => {
      const { normalized, pixels } = await prepareImage(upload, { maxPixels: maxImagePixels });
      const detection = pixels.then((p) => detector.detect(upload, { pixels: p }));
      detection.catch(() => {});
      const { jpeg } = await normalized;
      return { jpeg, faces: await detection };
    }, signal);
    return { jpeg, faces: faces.slice().sort((a, b) => area(b) - area(a)) };
  }

  /** Saves the image, then the row; a row that cannot be written takes its image with it. */
  private async store(
    user: Requester,
    jpeg: Buffer,
    faces: FaceEmotion[],
    lowConfidence: boolean,
  ): Promise<Prediction> {
    const top = faces[0] as FaceEmotion;
    const imageFile = await this.deps.images.save(jpeg);
    const prediction: Prediction = {
      id: randomUUID(),
      userId: user.id,
      createdAt: new Date().toISOString(),
      emotion: top.emotion,
      confidence: top.confidence,
      probabilities: top.probabilities,
      faces,
      model: this.deps.detector.model,
      imageFile,
      lowConfidence,
    };
    try {
      insertPrediction(this.deps.db, prediction);
    } catch (err) {
      await this.deps.images.remove(imageFile);
      throw err;
    }
    return prediction;
  }
}
