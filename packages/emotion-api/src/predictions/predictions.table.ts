/**
 * A stored prediction as both stores return it, and as the API shows it (`Detection`). Written by
 * detections, read and deleted by history through a PredictionStore.
 */
import { EMOTIONS, type Emotion } from '@emotion-app/protocol';
import type { Detection } from '@emotion-app/protocol/emotion';
import type { FaceEmotion } from '../model/index.js';

/** One stored detection (its image is stored with it, see predictions.store.ts). */
export interface Prediction {
  id: string;
  userId: string;
  /** ISO-8601 UTC with milliseconds. */
  createdAt: string;
  emotion: Emotion;
  confidence: number;
  probabilities: Record<Emotion, number>;
  faces: FaceEmotion[];
  /** The catalogue id of the model used (GET /models). */
  model: string;
  lowConfidence: boolean;
}

/** A zero for each of the seven labels. */
export function zeroCounts(): Record<Emotion, number> {
  return Object.fromEntries(EMOTIONS.map((e) => [e, 0])) as Record<Emotion, number>;
}

/** A stored prediction as the API shows it (the /detect answer and every /logs item). */
export function toDetection(p: Prediction): Detection {
  return {
    id: p.id,
    emotion: p.emotion,
    confidence: p.confidence,
    probabilities: p.probabilities,
    faces: p.faces.map((f) => ({
      box: f.box,
      emotion: f.emotion,
      confidence: f.confidence,
      probabilities: f.probabilities,
    })),
    model: p.model,
    imageUrl: `/images/${p.id}`,
    createdAt: p.createdAt,
    lowConfidence: p.lowConfidence,
  };
}
