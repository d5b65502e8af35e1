/** A prediction as the API shows it: the /detect answer and every /logs item. */
import { type Static, Type } from '@sinclair/typebox';
import { EMOTIONS, type Emotion } from '../model/index.js';
import type { Prediction } from './predictions.table.js';

export const EmotionLabel = Type.Unsafe<Emotion>({
  type: 'string',
  enum: [...EMOTIONS],
  description: "one of FER2013's seven labels",
});

const Probabilities = Type.Object(
  Object.fromEntries(EMOTIONS.map((e) => [e, Type.Number({ minimum: 0, maximum: 1 })])),
  { description: 'probability per label, summing to 1' },
);

const Box = Type.Object({
  x: Type.Number(),
  y: Type.Number(),
  width: Type.Number(),
  height: Type.Number(),
});

export const Face = Type.Object({
  box: Box,
  emotion: EmotionLabel,
  confidence: Type.Number({ minimum: 0, maximum: 1 }),
  probabilities: Probabilities,
});

export const PredictionResponse = Type.Object({
  id: Type.String({ format: 'uuid' }),
  emotion: EmotionLabel,
  confidence: Type.Number({ minimum: 0, maximum: 1 }),
  probabilities: Probabilities,
  faces: Type.Array(Face, { description: 'every detected face, largest first' }),
  model: Type.String({ description: 'model name and version' }),
  imageUrl: Type.String({ description: '/images/<id>, readable by the owner only' }),
  createdAt: Type.String({ format: 'date-time' }),
  lowConfidence: Type.Boolean({ description: 'true when the top face was below MIN_CONFIDENCE' }),
});
export type PredictionResponse = Static<typeof PredictionResponse>;

/** A stored prediction as the API shows it (the detect response and every /logs item). */
export function toPredictionResponse(p: Prediction): PredictionResponse {
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
