/**
 * emotion-api's detection contract (DESIGN §4): a face, a detection (the POST /detect answer and
 * every /logs item) and the labels' probabilities. Pure data: safe to import in browsers.
 */
import { type Static, Type } from '@sinclair/typebox';
import { type Emotion, EMOTIONS } from '../emotions.js';

/** One of the seven labels, as a schema. */
export const EmotionLabel = Type.Unsafe<Emotion>({
  type: 'string',
  enum: [...EMOTIONS],
  description: "one of FER2013's seven labels",
});

const Score = Type.Number({ minimum: 0, maximum: 1 });

/** Probability per label, summing to 1. */
export const Probabilities = Type.Unsafe<Record<Emotion, number>>(
  Type.Object(Object.fromEntries(EMOTIONS.map((e) => [e, Score])), {
    description: 'probability per label, summing to 1',
  }),
);
export type Probabilities = Static<typeof Probabilities>;

/** A face's bounding box in pixels of the uploaded image (after EXIF rotation). */
export const FaceBox = Type.Object({
  x: Type.Number(),
  y: Type.Number(),
  width: Type.Number(),
  height: Type.Number(),
});
export type FaceBox = Static<typeof FaceBox>;

/** One detected face: its box, the most likely emotion and the probabilities of all seven. */
export const Face = Type.Object({
  box: FaceBox,
  emotion: EmotionLabel,
  confidence: Score,
  probabilities: Probabilities,
});
export type Face = Static<typeof Face>;

/** A stored detection: the 200 answer of POST /detect and every item of GET /logs. */
export const Detection = Type.Object({
  id: Type.String({ format: 'uuid' }),
  emotion: EmotionLabel,
  confidence: Score,
  probabilities: Probabilities,
  faces: Type.Array(Face, { description: 'every detected face, largest first' }),
  model: Type.String({ description: 'model name and version' }),
  imageUrl: Type.String({ description: '/images/<id>, readable by the owner only' }),
  createdAt: Type.String({ format: 'date-time' }),
  lowConfidence: Type.Boolean({ description: 'true when the top face was below MIN_CONFIDENCE' }),
});
export type Detection = Static<typeof Detection>;
