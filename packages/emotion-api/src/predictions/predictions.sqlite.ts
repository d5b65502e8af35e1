/**
 * PredictionStore on SQLite (`DATA_DIR/emotion.db`) and the image folder (`DATA_DIR/images`).
 * Every statement is prepared once: the fixed ones at construction, the filtered ones the first
 * time their combination of filters is used (at most 2^6 shapes), then reused.
 */
import type { Emotion } from '@emotion-app/protocol';
import type { Stats } from '@emotion-app/protocol/emotion';
import type { Statement } from 'better-sqlite3';
import { type Db, openDatabase } from '../db/database.js';
import { ImageStore } from '../storage/image-store.js';
import type { PredictionFilter, PredictionQuery, PredictionStore } from './predictions.store.js';
import { statsFromCounts } from './predictions.store.js';
import type { Prediction } from './predictions.table.js';

/** A row as SQLite returns it. */
interface Row {
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

const COLUMNS =
  'rowid AS row_id, id, user_id, created_at, emotion, confidence, probabilities, faces, model, image_file, low_confidence';
const ORDER = 'ORDER BY created_at DESC, rowid DESC';

function fromRow(row: Row): Prediction {
  return {
    id: row.id,
    userId: row.user_id,
    createdAt: row.created_at,
    emotion: row.emotion,
    confidence: row.confidence,
    probabilities: JSON.parse(row.probabilities) as Record<Emotion, number>,
    faces: JSON.parse(row.faces) as Prediction['faces'],
    model: row.model,
    lowConfidence: row.low_confidence === 1,
  };
}

const FILTERS: readonly [keyof PredictionQuery, string][] = [
  ['emotion', 'emotion = @emotion'],
  ['model', 'model = @model'],
  ['minConfidence', 'confidence >= @minConfidence'],
  ['maxConfidence', 'confidence <= @maxConfidence'],
  ['from', 'created_at >= @from'],
  ['toExclusive', 'created_at < @toExclusive'],
];

interface Shape {
  count: Statement;
  page: Statement;
  firstBatch: Statement;
  nextBatch: Statement;
}

export class SqlitePredictionStore implements PredictionStore {
  readonly kind = 'sqlite';
  private readonly shapes = new Map<number, Shape>();
  private readonly insertRow: Statement;
  private readonly findRow: Statement;
  private readonly deleteRow: Statement;
  private readonly deleteUserRows: Statement;
  private readonly statsRows: Statement;
  private readonly pingStmt: Statement;

  constructor(
    readonly db: Db,
    readonly images: ImageStore,
  ) {
    this.insertRow = db.prepare(
      `INSERT INTO predictions (id, user_id, created_at, emotion, confidence, probabilities, faces, model, image_file, low_confidence)
       VALUES (@id, @userId, @createdAt, @emotion, @confidence, @probabilities, @faces, @model, @imageFile, @lowConfidence)`,
    );
    this.findRow = db.prepare(`SELECT ${COLUMNS} FROM predictions WHERE id = ? AND user_id = ?`);
    this.deleteRow = db.prepare('DELETE FROM predictions WHERE id = ? AND user_id = ? RETURNING image_file');
    this.deleteUserRows = db.prepare('DELETE FROM predictions WHERE user_id = ? RETURNING image_file');
    this.statsRows = db.prepare(
      `SELECT substr(created_at, 1, 10) AS date, emotion, count(*) AS n
       FROM predictions WHERE user_id = ? GROUP BY date, emotion ORDER BY date`,
    );
    this.pingStmt = db.prepare('SELECT 1');
    this.shape(0);
  }

  /** Opens `dataDir/emotion.db` (migrated) and `dataDir/images`. */
  static open(dataDir: string): SqlitePredictionStore {
    return new SqlitePredictionStore(openDatabase(dataDir), new ImageStore(dataDir));
  }

  async insert(p: Prediction, jpeg: Buffer): Promise<void> {
    const imageFile = await this.images.save(jpeg);
    try {
      this.insertRow.run({
        ...p,
        probabilities: JSON.stringify(p.probabilities),
        faces: JSON.stringify(p.faces),
        imageFile,
        lowConfidence: p.lowConfidence ? 1 : 0,
      });
    } catch (err) {
      await this.images.remove(imageFile);
      throw err;
    }
  }

  async find(userId: string, id: string): Promise<Prediction | undefined> {
    const row = this.findRow.get(id, userId) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  async openImage(userId: string, id: string) {
    const row = this.findRow.get(id, userId) as Row | undefined;
    return row ? this.images.open(row.image_file) : undefined;
  }

  async remove(userId: string, id: string): Promise<boolean> {
    const row = this.deleteRow.get(id, userId) as { image_file: string } | undefined;
    if (!row) return false;
    await this.images.remove(row.image_file);
    return true;
  }

  async removeUser(userId: string): Promise<number> {
    const rows = this.deleteUserRows.all(userId) as { image_file: string }[];
    for (const row of rows) await this.images.remove(row.image_file);
    return rows.length;
  }

  async list(userId: string, filter: PredictionFilter) {
    const shape = this.shape(maskOf(filter));
    const params = { userId, ...filter };
    // Each row carries the count of all matches (one statement); an empty page asks for it apart.
    const rows = shape.page.all(params) as (Row & { total: number })[];
    const total = rows[0]?.total ?? (filter.offset === 0 ? 0 : (shape.count.get(params) as { n: number }).n);
    return { items: rows.map(fromRow), total };
  }

  async *iterate(
    userId: string,
    query: PredictionQuery,
    batchSize = 500,
  ): AsyncGenerator<Prediction, void, undefined> {
    const shape = this.shape(maskOf(query));
    const params = { userId, ...query, batchSize };
    let page = shape.firstBatch.all(params) as (Row & { row_id: number })[];
    while (page.length > 0) {
      for (const row of page) yield fromRow(row);
      if (page.length < batchSize) return;
      const last = page[page.length - 1] as Row & { row_id: number };
      page = shape.nextBatch.all({
        ...params,
        afterCreatedAt: last.created_at,
        afterRowId: last.row_id,
      }) as (Row & {
        row_id: number;
      })[];
    }
  }

  async stats(userId: string): Promise<Stats> {
    return statsFromCounts(this.statsRows.all(userId) as { date: string; emotion: Emotion; n: number }[]);
  }

  async ping(): Promise<void> {
    this.pingStmt.get();
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private shape(mask: number): Shape {
    let shape = this.shapes.get(mask);
    if (shape) return shape;
    const where = [
      'user_id = @userId',
      ...FILTERS.filter((_, i) => mask & (1 << i)).map(([, sql]) => sql),
    ].join(' AND ');
    shape = {
      count: this.db.prepare(`SELECT count(*) AS n FROM predictions WHERE ${where}`),
      page: this.db.prepare(
        `SELECT ${COLUMNS}, (SELECT count(*) FROM predictions WHERE ${where}) AS total
         FROM predictions WHERE ${where} ${ORDER} LIMIT @limit OFFSET @offset`,
      ),
      firstBatch: this.db.prepare(
        `SELECT ${COLUMNS} FROM predictions WHERE ${where} ${ORDER} LIMIT @batchSize`,
      ),
      nextBatch: this.db.prepare(
        `SELECT ${COLUMNS} FROM predictions WHERE ${where}
         AND (created_at < @afterCreatedAt OR (created_at = @afterCreatedAt AND rowid < @afterRowId)) ${ORDER} LIMIT @batchSize`,
      ),
    };
    this.shapes.set(mask, shape);
    return shape;
  }
}

function maskOf(query: PredictionQuery): number {
  let mask = 0;
  FILTERS.forEach(([key], i) => {
    if (query[key] !== undefined) mask |= 1 << i;
  });
  return mask;
}
