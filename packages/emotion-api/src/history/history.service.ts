/**
 * The caller's history: paged and filtered listing, deletion (row and image), the stored image,
 * counts, the export of every matching row, and the removal of a deleted account's data. Every
 * call is scoped to one user's rows.
 */
import type { ReadStream } from 'node:fs';
import { ProblemError } from '@emotion-app/protocol';
import type { Db } from '../db/database.js';
import type { ExportFormat, LogsPage } from '@emotion-app/protocol/emotion';
import { toDetection } from '../predictions/predictions.table.js';
import type { ImageStore } from '../storage/image-store.js';
import { exportBody } from './history.export.js';
import { type LogsFilter, toPredictionQuery } from './history.filters.js';
import {
  deletePrediction,
  deleteUserPredictions,
  findPrediction,
  iteratePredictions,
  listPredictions,
  type PredictionStats,
  predictionStats,
} from './history.repository.js';

export interface HistoryDeps {
  db: Db;
  images: ImageStore;
}

export interface LogsExport {
  contentType: string;
  /** `emotions-YYYY-MM-DD.<format>` (today, UTC). */
  filename: string;
  /** Text chunks, read lazily: the rows are fetched page by page while the client downloads. */
  body: Iterable<string>;
}

function notFound(detail: string): ProblemError {
  return new ProblemError({ code: 'not_found', detail });
}

export class HistoryService {
  constructor(private readonly deps: HistoryDeps) {}

  /** The caller's predictions matching `filter`, newest first, one page of them. */
  list(userId: string, filter: LogsFilter & { limit: number; offset: number }): LogsPage {
    const { limit, offset } = filter;
    const { items, total } = listPredictions(this.deps.db, userId, {
      ...toPredictionQuery(filter),
      limit,
      offset,
    });
    return { items: items.map(toDetection), total, limit, offset };
  }

  /** Deletes one of the caller's predictions and its image; 404 not_found when it is not theirs. */
  async remove(userId: string, id: string): Promise<void> {
    const removed = deletePrediction(this.deps.db, userId, id);
    if (!removed) throw notFound('No such prediction.');
    await this.deps.images.remove(removed.imageFile);
  }

  /**
   * Deletes every prediction and image of a user whose account was deleted (auth-server's
   * `user_deleted` revocation event). Idempotent; returns how many predictions were deleted.
   */
  async removeUser(userId: string): Promise<number> {
    const files = deleteUserPredictions(this.deps.db, userId);
    for (const file of files) await this.deps.images.remove(file);
    return files.length;
  }

  /** The stored JPEG of one of the caller's predictions; 404 not_found when it is not theirs or gone. */
  async openImage(userId: string, id: string): Promise<ReadStream> {
    const prediction = findPrediction(this.deps.db, userId, id);
    const stream = prediction ? await this.deps.images.open(prediction.imageFile) : undefined;
    if (!stream) throw notFound('No such image.');
    return stream;
  }

  /** Counts of the caller's predictions by emotion and by UTC day. */
  stats(userId: string): PredictionStats {
    return predictionStats(this.deps.db, userId);
  }

  /** Every prediction of the caller matching `filter`, newest first, as CSV or JSON. */
  export(userId: string, format: ExportFormat, filter: LogsFilter): LogsExport {
    const rows = iteratePredictions(this.deps.db, userId, toPredictionQuery(filter));
    const date = new Date().toISOString().slice(0, 10);
    return {
      contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      filename: `emotions-${date}.${format}`,
      body: exportBody(format, rows),
    };
  }
}
