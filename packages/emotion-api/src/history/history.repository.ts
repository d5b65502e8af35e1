/**
 * Reads and deletes of the caller's predictions: /logs, /logs/export, /images/:id, /stats, and
 * the removal of a deleted account's rows.
 */
import type { Db } from '../db/database.js';
import type { Emotion } from '@emotion-app/protocol';
import type { Stats } from '@emotion-app/protocol/emotion';
import {
  fromRow,
  type Prediction,
  type PredictionRow as Row,
  zeroCounts,
} from '../predictions/predictions.table.js';

export interface PredictionFilter {
  limit: number;
  offset: number;
  emotion?: Emotion;
  minConfidence?: number;
  maxConfidence?: number;
  /** Inclusive lower bound, ISO-8601. */
  from?: string;
  /** Exclusive upper bound, ISO-8601. */
  toExclusive?: string;
}

/** The answer of GET /stats. */
export type PredictionStats = Stats;

export function findPrediction(db: Db, userId: string, id: string): Prediction | undefined {
  const row = db.prepare('SELECT * FROM predictions WHERE id = ? AND user_id = ?').get(id, userId) as
    | Row
    | undefined;
  return row ? fromRow(row) : undefined;
}

/** Deletes the caller's row; returns it (for its image file) or undefined when it is not theirs. */
export function deletePrediction(db: Db, userId: string, id: string): Prediction | undefined {
  const row = db
    .prepare('DELETE FROM predictions WHERE id = ? AND user_id = ? RETURNING *')
    .get(id, userId) as Row | undefined;
  return row ? fromRow(row) : undefined;
}

/** Deletes every row of a user (their account was deleted); returns the image files to remove. */
export function deleteUserPredictions(db: Db, userId: string): string[] {
  const rows = db.prepare('DELETE FROM predictions WHERE user_id = ? RETURNING image_file').all(userId) as {
    image_file: string;
  }[];
  return rows.map((row) => row.image_file);
}

/** The filter of `/logs` and `/logs/export`, without paging. */
export type PredictionQuery = Omit<PredictionFilter, 'limit' | 'offset'>;

function whereClause(filter: PredictionQuery): string {
  const where = ['user_id = @userId'];
  if (filter.emotion !== undefined) where.push('emotion = @emotion');
  if (filter.minConfidence !== undefined) where.push('confidence >= @minConfidence');
  if (filter.maxConfidence !== undefined) where.push('confidence <= @maxConfidence');
  if (filter.from !== undefined) where.push('created_at >= @from');
  if (filter.toExclusive !== undefined) where.push('created_at < @toExclusive');
  return where.join(' AND ');
}

/** The caller's predictions matching the filter, newest first, and how many match in all. */
export function listPredictions(
  db: Db,
  userId: string,
  filter: PredictionFilter,
): { items: Prediction[]; total: number } {
  const params = { userId, ...filter };
  const clause = whereClause(filter);
  const total = (
    db.prepare(`SELECT count(*) AS n FROM predictions WHERE ${clause}`).get(params) as { n: number }
  ).n;
  const rows = db
    .prepare(
      `SELECT * FROM predictions WHERE ${clause} ORDER BY created_at DESC, rowid DESC LIMIT @limit OFFSET @offset`,
    )
    .all(params) as Row[];
  return { items: rows.map(fromRow), total };
}

/**
 * Every prediction of the caller matching the filter, newest first (the order of `/logs`), read
 * lazily in keyset pages of `batchSize` rows. No statement stays open between pages: an open
 * better-sqlite3 `.iterate()` cursor would keep the shared connection busy (every other query
 * throws) for as long as a slow client takes to download, so each page is read at once and the
 * next one starts after the last (created_at, rowid) seen. Memory stays at one page; rows
 * inserted or deleted meanwhile may or may not appear, none appears twice.
 */
export function* iteratePredictions(
  db: Db,
  userId: string,
  filter: PredictionQuery,
  batchSize = 500,
): Generator<Prediction, void, undefined> {
  const clause = whereClause(filter);
  const order = 'ORDER BY created_at DESC, rowid DESC LIMIT @batchSize';
  const first = db.prepare(`SELECT rowid AS row_id, * FROM predictions WHERE ${clause} ${order}`);
  const next = db.prepare(
    `SELECT rowid AS row_id, * FROM predictions WHERE ${clause}
       AND (created_at < @afterCreatedAt OR (created_at = @afterCreatedAt AND rowid < @afterRowId)) ${order}`,
  );
  const params = { userId, ...filter, batchSize };
  let page = first.all(params) as (Row & { row_id: number })[];
  while (page.length > 0) {
    for (const row of page) yield fromRow(row);
    if (page.length < batchSize) return;
    const last = page[page.length - 1] as Row & { row_id: number };
    page = next.all({ ...params, afterCreatedAt: last.created_at, afterRowId: last.row_id }) as (Row & {
      row_id: number;
    })[];
  }
}

/** Counts of the caller's predictions by emotion and by UTC day (oldest day first). */
export function predictionStats(db: Db, userId: string): PredictionStats {
  const rows = db
    .prepare(
      `SELECT substr(created_at, 1, 10) AS date, emotion, count(*) AS n
       FROM predictions WHERE user_id = ? GROUP BY date, emotion ORDER BY date`,
    )
    .all(userId) as { date: string; emotion: Emotion; n: number }[];
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
