import { type Static, Type } from '@sinclair/typebox';
import type { Prediction } from '../db/predictions.repository.js';
import { EMOTIONS, type Emotion } from '../model/index.js';

/** application/problem+json body of every error. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'stable machine-readable error code' }),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { additionalProperties: true },
);

export const ProblemResponses = { '4xx': Problem, '5xx': Problem } as const;

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

/**
 * A prediction id in a path. Not checked as a UUID: an id that names no row of the caller, well
 * formed or not, is simply not found (404), never a 400. Ids only ever reach SQL as parameters;
 * image files have their own random names.
 */
export const IdParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100, description: 'prediction id (a UUID)' }),
});

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

const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }];
/** OpenAPI security of protected routes: a Bearer token or the access-token cookie. */
export const secured = { security };
