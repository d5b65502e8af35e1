/** Writes of the detections feature: one row per detection (reads live in history). */
import type { Db } from '../db/database.js';
import type { Prediction } from '../predictions/predictions.table.js';

export function insertPrediction(db: Db, p: Prediction): void {
  db.prepare(
    `INSERT INTO predictions (id, user_id, created_at, emotion, confidence, probabilities, faces, model, image_file, low_confidence)
     VALUES (@id, @userId, @createdAt, @emotion, @confidence, @probabilities, @faces, @model, @imageFile, @lowConfidence)`,
  ).run({
    ...p,
    probabilities: JSON.stringify(p.probabilities),
    faces: JSON.stringify(p.faces),
    lowConfidence: p.lowConfidence ? 1 : 0,
  });
}
