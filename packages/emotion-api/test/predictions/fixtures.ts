/** Predictions to store in tests, and the bytes of a stored image. */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Emotion } from '@emotion-app/protocol';
import { type Prediction, zeroCounts } from '../../src/predictions/predictions.table.js';

export function prediction(
  userId: string,
  createdAt: string,
  emotion: Emotion,
  confidence: number,
  model = 'human',
): Prediction {
  const probabilities = { ...zeroCounts(), [emotion]: confidence };
  return {
    id: randomUUID(),
    userId,
    createdAt,
    emotion,
    confidence,
    probabilities,
    faces: [{ box: { x: 1, y: 2, width: 30, height: 40 }, emotion, confidence, probabilities }],
    model,
    lowConfidence: false,
  };
}

/** A stand-in for a JPEG: the stores keep bytes as given. */
export function jpegOf(text: string): Buffer {
  return Buffer.from(`\xff\xd8${text}`, 'latin1');
}

export async function bytesOf(image: Readable | Buffer | undefined): Promise<Buffer | undefined> {
  if (image === undefined || Buffer.isBuffer(image)) return image;
  const chunks: Buffer[] = [];
  for await (const chunk of image) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
