/**
 * The `predictions` table: one stored detection per row (see migrations/). Written by detections,
 * read and deleted by history; both map rows through here.
 */
import { EMOTIONS, type Emotion, type FaceEmotion } from '../model/index.js';

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
