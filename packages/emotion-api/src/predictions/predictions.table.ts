/**
 * The `predictions` table: one stored detection per row (see migrations/). Written by detections,
 * read and deleted by history; both map rows through here, and rows to the API's `Detection`.
 */
import { EMOTIONS, type Emotion } from '@emotion-app/protocol';
import type { Detection } from '@emotion-app/protocol/emotion';
import type { FaceEmotion } from '../model/index.js';

/** One stored detection. */
export interface Prediction {
  id: string;
  userId: string;
  /** ISO-8601 UTC with milliseconds. */
  createdAt: string;
  emotion: Emotion;
  confidence: number;
  probabilities: Record<Emotion, number>;
  faces: FaceEmotion[];
  model: string;
  /** File name inside `DATA_DIR/images`; never taken from a URL. */
  imageFile: string;
  lowConfidence: boolean;
}

/** A row as SQLite returns it. */
export interface PredictionRow {
  id: string;
  user_id: string;
  created_at: string;
  emotion: Emotion;
  confidence: number;
  probabilities: string;
  faces: string;
  model: string;
  image_file: string;
  low_confidence: number;
}

export function fromRow(row: PredictionRow): Prediction {
  return {
    id: row.id,
    userId: row.user_id,
    createdAt: row.created_at,
    emotion: row.emotion,
    confidence: row.confidence,
    probabilities: JSON.parse(row.probabilities) as Record<Emotion, number>,
    faces: JSON.parse(row.faces) as FaceEmotion[],
    model: row.model,
    imageFile: row.image_file,
    lowConfidence: row.low_confidence === 1,
  };
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
