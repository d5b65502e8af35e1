import type { Emotion, LogQuery } from '../../api/types.js';

/** History's filters as the form holds them: confidence in percent, days as `YYYY-MM-DD`. */
export interface HistoryFilters {
  emotion: Emotion | null;
  /** A model id of GET /models. */
  model: string | null;
  confidence: [number, number];
  from: string;
  to: string;
}

export const NO_FILTERS: HistoryFilters = {
  emotion: null,
  model: null,
  confidence: [0, 100],
  from: '',
  to: '',
};

/** Local calendar days to the instants the API compares with. */
function dayStart(day: string): string | undefined {
  return day ? new Date(`${day}T00:00:00`).toISOString() : undefined;
}
function dayEnd(day: string): string | undefined {
  return day ? new Date(`${day}T23:59:59.999`).toISOString() : undefined;
}

export function isFiltered(filters: HistoryFilters): boolean {
  return (
    filters.emotion !== null ||
    filters.model !== null ||
    filters.confidence[0] > 0 ||
    filters.confidence[1] < 100 ||
    filters.from !== '' ||
    filters.to !== ''
  );
}

/** The `/logs` (and `/logs/export`) query parameters of the filters; unset ones are left out. */
export function toLogQuery(filters: HistoryFilters): LogQuery {
  const query: LogQuery = {};
  if (filters.emotion) query.emotion = filters.emotion;
  if (filters.model) query.model = filters.model;
  if (filters.confidence[0] > 0) query.minConfidence = filters.confidence[0] / 100;
  if (filters.confidence[1] < 100) query.maxConfidence = filters.confidence[1] / 100;
  const from = dayStart(filters.from);
  if (from) query.from = from;
  const to = dayEnd(filters.to);
  if (to) query.to = to;
  return query;
}
