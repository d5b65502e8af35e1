/**
 * PredictionStore on PostgreSQL (or PGlite): rows in `predictions`, image bytes in
 * `prediction_images` (bytea), so every emotion-api instance sharing the database sees the same
 * history. A lost database surfaces as 503 service_unavailable (db/unavailable.ts); the pool
 * reconnects by itself once it is back.
 */
import type { Emotion } from '@emotion-app/protocol';
import type { Stats } from '@emotion-app/protocol/emotion';
import { type Selectable, type SelectQueryBuilder, sql } from 'kysely';
import type { PgDatabase, PgDb, PredictionsTable } from '../db/postgres.js';
import { toDatabaseUnavailable } from '@emotion-app/service-kit';
import type { PredictionFilter, PredictionQuery, PredictionStore } from './predictions.store.js';
import { statsFromCounts } from './predictions.store.js';
import type { Prediction } from './predictions.table.js';

const COLUMNS = [
  'id',
  'seq',
  'user_id',
  'created_at',
  'emotion',
  'confidence',
  'probabilities',
  'faces',
  'model',
  'low_confidence',
] as const;

/** A `predictions` row as `pg` returns it (the table's columns, `seq` filled in). */
type Row = Selectable<PredictionsTable>;

function fromRow(row: Row): Prediction {
  return {
    id: row.id,
    userId: row.user_id,
    createdAt: new Date(row.created_at).toISOString(),
    emotion: row.emotion as Emotion,
    confidence: row.confidence,
    probabilities: row.probabilities as Prediction['probabilities'],
    faces: row.faces as Prediction['faces'],
    model: row.model,
    lowConfidence: row.low_confidence,
  };
}

type Query<O> = SelectQueryBuilder<PgDatabase, 'predictions', O>;

function filtered<O>(q: Query<O>, userId: string, f: PredictionQuery): Query<O> {
  let query = q.where('user_id', '=', userId);
  if (f.emotion !== undefined) query = query.where('emotion', '=', f.emotion);
  if (f.model !== undefined) query = query.where('model', '=', f.model);
  if (f.minConfidence !== undefined) query = query.where('confidence', '>=', f.minConfidence);
  if (f.maxConfidence !== undefined) query = query.where('confidence', '<=', f.maxConfidence);
  if (f.from !== undefined) query = query.where('created_at', '>=', f.from);
  if (f.toExclusive !== undefined) query = query.where('created_at', '<', f.toExclusive);
  return query;
}

/** Runs `fn`, turning a lost connection into 503 service_unavailable. */
async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toDatabaseUnavailable(err);
  }
}

export class PostgresPredictionStore implements PredictionStore {
  readonly kind = 'postgres';

  /** `ownsDb`: close() destroys the connection (false when the caller shares it). */
  constructor(
    readonly db: PgDb,
    private readonly ownsDb = true,
  ) {}

  insert(p: Prediction, jpeg: Buffer): Promise<void> {
    return guarded(() =>
      this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('predictions')
          .values({
            id: p.id,
            user_id: p.userId,
            created_at: p.createdAt,
            emotion: p.emotion,
            confidence: p.confidence,
            probabilities: JSON.stringify(p.probabilities),
            faces: JSON.stringify(p.faces),
            model: p.model,
            low_confidence: p.lowConfidence,
          })
          .execute();
        await trx.insertInto('prediction_images').values({ prediction_id: p.id, jpeg }).execute();
      }),
    );
  }

  find(userId: string, id: string): Promise<Prediction | undefined> {
    return guarded(async () => {
      const row = await this.db
        .selectFrom('predictions')
        .select(COLUMNS)
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row ? fromRow(row) : undefined;
    });
  }

  openImage(userId: string, id: string): Promise<Buffer | undefined> {
    return guarded(async () => {
      const row = await this.db
        .selectFrom('prediction_images as i')
        .innerJoin('predictions as p', 'p.id', 'i.prediction_id')
        .select('i.jpeg')
        .where('p.id', '=', id)
        .where('p.user_id', '=', userId)
        .executeTakeFirst();
      return row ? Buffer.from(row.jpeg.buffer, row.jpeg.byteOffset, row.jpeg.byteLength) : undefined;
    });
  }

  remove(userId: string, id: string): Promise<boolean> {
    return guarded(async () => {
      const result = await this.db
        .deleteFrom('predictions')
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  removeUser(userId: string): Promise<number> {
    return guarded(async () => {
      const result = await this.db.deleteFrom('predictions').where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }

  list(userId: string, filter: PredictionFilter): Promise<{ items: Prediction[]; total: number }> {
    return guarded(async () => {
      const count = () =>
        filtered(
          this.db.selectFrom('predictions').select((eb) => eb.fn.countAll<string>().as('n')),
          userId,
          filter,
        );
      // Each row carries the count of all matches (one round trip); an empty page asks for it apart.
      const rows = await filtered(
        this.db.selectFrom('predictions').select([...COLUMNS, () => count().as('total')]),
        userId,
        filter,
      )
        .orderBy('created_at', 'desc')
        .orderBy('seq', 'desc')
        .limit(filter.limit)
        .offset(filter.offset)
        .execute();
      const first = rows[0];
      const total = first
        ? Number(first.total)
        : filter.offset === 0
          ? 0
          : Number((await count().executeTakeFirstOrThrow()).n);
      return { items: rows.map(fromRow), total };
    });
  }

  async *iterate(
    userId: string,
    query: PredictionQuery,
    batchSize = 500,
  ): AsyncGenerator<Prediction, void, undefined> {
    let after: { createdAt: Date | string; seq: string } | undefined;
    for (;;) {
      const cursor = after;
      const page = await guarded(() => {
        let q = filtered(this.db.selectFrom('predictions').select(COLUMNS), userId, query);
        if (cursor)
          q = q.where(
            sql<boolean>`(created_at, seq) < (${cursor.createdAt}::timestamptz, ${cursor.seq}::bigint)`,
          );
        return q.orderBy('created_at', 'desc').orderBy('seq', 'desc').limit(batchSize).execute();
      });
      for (const row of page) yield fromRow(row);
      const last = page[page.length - 1];
      if (!last || page.length < batchSize) return;
      after = { createdAt: last.created_at, seq: last.seq };
    }
  }

  stats(userId: string): Promise<Stats> {
    return guarded(async () => {
      const { rows } = await sql<{ date: string; emotion: Emotion; n: number }>`
        SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date, emotion, count(*)::int AS n
        FROM predictions WHERE user_id = ${userId} GROUP BY 1, 2 ORDER BY 1`.execute(this.db);
      return statsFromCounts(rows);
    });
  }

  ping(): Promise<void> {
    return guarded(async () => {
      await sql`SELECT 1`.execute(this.db);
    });
  }

  async close(): Promise<void> {
    if (this.ownsDb) await this.db.destroy();
  }
}
