/** The filters of GET /logs and GET /logs/export, checked beyond their schema and turned into a repository query. */
import { ProblemError } from '@emotion-app/protocol';
import type { LogsFilter } from '@emotion-app/protocol/emotion';
import { MODEL_IDS } from '../models/models.catalogue.js';
import type { PredictionQuery } from '../predictions/predictions.store.js';

export type { LogsFilter };

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function invalid(path: string, message: string): ProblemError {
  return new ProblemError({
    code: 'validation_failed',
    detail: `${path} ${message}`,
    errors: [{ path, message }],
  });
}

/** Parses a `from`/`to` bound to an ISO instant; a bare `to` date moves to the next day (whole day included). */
function parseBound(name: 'from' | 'to', value: string): string {
  const dateOnly = DATE_ONLY.test(value);
  if (!dateOnly && !DATE_TIME.test(value))
    throw invalid(name, 'must be a date (YYYY-MM-DD) or an ISO-8601 date-time');
  const time = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(time) || (dateOnly && new Date(time).toISOString().slice(0, 10) !== value)) {
    throw invalid(name, 'is not a valid date');
  }
  return new Date(dateOnly && name === 'to' ? time + 86_400_000 : time).toISOString();
}

/** Checks the filters of a /logs query (beyond the schema) and turns them into a repository query. */
export function toPredictionQuery(q: LogsFilter): PredictionQuery {
  const filter: PredictionQuery = {};
  if (q.emotion !== undefined) filter.emotion = q.emotion;
  if (q.model !== undefined) {
    if (!MODEL_IDS.includes(q.model)) throw invalid('model', `must be one of ${MODEL_IDS.join(', ')}`);
    filter.model = q.model;
  }
  if (q.minConfidence !== undefined) filter.minConfidence = q.minConfidence;
  if (q.maxConfidence !== undefined) filter.maxConfidence = q.maxConfidence;
  if (q.minConfidence !== undefined && q.maxConfidence !== undefined && q.minConfidence > q.maxConfidence) {
    throw invalid('minConfidence', 'must not be greater than maxConfidence');
  }
  if (q.from !== undefined) filter.from = parseBound('from', q.from);
  if (q.to !== undefined) filter.toExclusive = parseBound('to', q.to);
  if (filter.from !== undefined && filter.toExclusive !== undefined && filter.from >= filter.toExclusive) {
    throw invalid('from', 'must be before to');
  }
  return filter;
}
