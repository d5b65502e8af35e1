/**
 * Where predictions and their images live: one interface, two implementations (SQLite + the image
 * folder when `DATABASE_URL` is unset, PostgreSQL with the image bytes in a bytea column when it
 * is set). Every read and delete is scoped to one user's rows; both behave the same.
 */
import type { Readable } from 'node:stream';
import type { Emotion } from '@emotion-app/protocol';
import type { Stats } from '@emotion-app/protocol/emotion';
import { type Prediction, zeroCounts } from './predictions.table.js';

/** The filter of `/logs` and `/logs/export`, without paging. */
export interface PredictionQuery {
  emotion?: Emotion;
  /** A catalogue model id. */
  model?: string;
  minConfidence?: number;
  maxConfidence?: number;
  /** Inclusive lower bound, ISO-8601 (as `Date#toISOString` writes it). */
  from?: string;
  /** Exclusive upper bound, ISO-8601. */
  toExclusive?: string;
}

/** One page of the filter. */
export interface PredictionFilter extends PredictionQuery {
  limit: number;
  offset: number;
}

export interface PredictionStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Stores the row and its (re-encoded JPEG) image; neither stays when the other cannot be written. */
  insert(prediction: Prediction, jpeg: Buffer): Promise<void>;
  find(userId: string, id: string): Promise<Prediction | undefined>;
  /** The stored JPEG of one of the user's predictions, or undefined when it is not theirs or gone. */
  openImage(userId: string, id: string): Promise<Readable | Buffer | undefined>;
  /** Deletes the user's row and its image; false when it is not theirs. */
  remove(userId: string, id: string): Promise<boolean>;
  /** Deletes every row and image of a user; returns how many rows were deleted. */
  removeUser(userId: string): Promise<number>;
  /** The user's predictions matching the filter, newest first, and how many match in all. */
  list(userId: string, filter: PredictionFilter): Promise<{ items: Prediction[]; total: number }>;
  /**
   * Every matching prediction, newest first, read lazily in keyset pages of `batchSize` rows (no
   * cursor stays open between pages). Rows inserted or deleted meanwhile may or may not appear,
   * none appears twice.
   */
  iterate(
    userId: string,
    query: PredictionQuery,
    batchSize?: number,
  ): AsyncGenerator<Prediction, void, undefined>;
  /** Counts by emotion and by UTC day (oldest day first). */
  stats(userId: string): Promise<Stats>;
  /** Resolves when the database answers (/health). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Builds /stats from `(day, emotion, count)` rows ordered by day. */
export function statsFromCounts(rows: Iterable<{ date: string; emotion: Emotion; n: number }>): Stats {
  const byEmotion = zeroCounts();
  const days = new Map<string, { date: string; count: number; byEmotion: Record<Emotion, number> }>();
  let total = 0;
  for (const row of rows) {
    total += row.n;
    byEmotion[row.emotion] += row.n;
    let day = days.get(row.date);
    if (!day) {
      day = { date: row.date, count: 0, byEmotion: zeroCounts() };
      days.set(row.date, day);
    }
    day.count += row.n;
    day.byEmotion[row.emotion] += row.n;
  }
  return { total, byEmotion, byDay: [...days.values()] };
}
