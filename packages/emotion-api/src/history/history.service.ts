/**
 * The caller's history: paged and filtered listing, deletion (row and image), the stored image,
 * counts, the export of every matching row, and the removal of a deleted account's data. Every
 * call is scoped to one user's rows.
 */
import type { Readable } from 'node:stream';
import { ProblemError } from '@emotion-app/protocol';
import type { ExportFormat, LogsPage, Stats } from '@emotion-app/protocol/emotion';
import type { PredictionStore } from '../predictions/predictions.store.js';
import { type Prediction, toDetection } from '../predictions/predictions.table.js';
import { exportBody } from './history.export.js';
import { type LogsFilter, toPredictionQuery } from './history.filters.js';

export interface HistoryDeps {
  store: PredictionStore;
}

export interface LogsExport {
  contentType: string;
  /** `emotions-YYYY-MM-DD.<format>` (today, UTC). */
  filename: string;
  /** Text chunks, read lazily: the rows are fetched page by page while the client downloads. */
  body: AsyncIterable<string>;
}

function notFound(detail: string): ProblemError {
  return new ProblemError({ code: 'not_found', detail });
}

export class HistoryService {
  constructor(private readonly deps: HistoryDeps) {}

  /** The caller's predictions matching `filter`, newest first, one page of them. */
  async list(userId: string, filter: LogsFilter & { limit: number; offset: number }): Promise<LogsPage> {
    const { limit, offset } = filter;
    const { items, total } = await this.deps.store.list(userId, {
      ...toPredictionQuery(filter),
      limit,
      offset,
    });
    return { items: items.map(toDetection), total, limit, offset };
  }

  /** Deletes one of the caller's predictions and its image; 404 not_found when it is not theirs. */
  async remove(userId: string, id: string): Promise<void> {
    if (!(await this.deps.store.remove(userId, id))) throw notFound('No such prediction.');
  }

  /**
   * Deletes every prediction and image of a user whose account was deleted (auth-server's
   * `user_deleted` revocation event). Idempotent; returns how many predictions were deleted.
   */
  removeUser(userId: string): Promise<number> {
    return this.deps.store.removeUser(userId);
  }

  /** The stored JPEG of one of the caller's predictions; 404 not_found when it is not theirs or gone. */
  async openImage(userId: string, id: string): Promise<Readable | Buffer> {
    const image = await this.deps.store.openImage(userId, id);
    if (!image) throw notFound('No such image.');
    return image;
  }

  /** Counts of the caller's predictions by emotion and by UTC day. */
  stats(userId: string): Promise<Stats> {
    return this.deps.store.stats(userId);
  }

  /**
   * Every prediction of the caller matching `filter`, newest first, as CSV or JSON. The filter is
   * checked and the first page read before anything is sent (a bad filter is a 400, a lost
   * database a 503); the other pages are read while the body streams.
   */
  async export(userId: string, format: ExportFormat, filter: LogsFilter): Promise<LogsExport> {
    const rows = this.deps.store.iterate(userId, toPredictionQuery(filter));
    const first = await rows.next();
    async function* all(): AsyncGenerator<Prediction> {
      if (first.done) return;
      yield first.value;
      yield* rows;
    }
    const date = new Date().toISOString().slice(0, 10);
    return {
      contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      filename: `emotions-${date}.${format}`,
      body: exportBody(format, all()),
    };
  }
}
