/** Request and response schemas of the history routes. */
import { Type } from '@sinclair/typebox';
import { EMOTIONS } from '../model/index.js';
import { EmotionLabel, PredictionResponse } from '../predictions/predictions.schemas.js';
import { CSV_COLUMNS, type ExportFormat as Format } from './history.export.js';

/** The filters of GET /logs, shared with GET /logs/export. */
export const LogsFilterProperties = {
  emotion: Type.Optional(EmotionLabel),
  minConfidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  maxConfidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  from: Type.Optional(Type.String({ description: 'inclusive; YYYY-MM-DD (UTC day) or ISO-8601 date-time' })),
  to: Type.Optional(
    Type.String({ description: 'YYYY-MM-DD includes that whole UTC day; a date-time is exclusive' }),
  ),
};

export const LogsQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 }),
    ...LogsFilterProperties,
  },
  { additionalProperties: false },
);

export const LogsPage = Type.Object({
  items: Type.Array(PredictionResponse),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

/**
 * A prediction id in a path. Not checked as a UUID: an id that names no row of the caller, well
 * formed or not, is simply not found (404), never a 400. Ids only ever reach SQL as parameters;
 * image files have their own random names.
 */
export const IdParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100, description: 'prediction id (a UUID)' }),
});

const Counts = Type.Object(Object.fromEntries(EMOTIONS.map((e) => [e, Type.Integer({ minimum: 0 })])));

export const Stats = Type.Object({
  total: Type.Integer(),
  byEmotion: Counts,
  byDay: Type.Array(
    Type.Object({
      date: Type.String({ format: 'date' }),
      count: Type.Integer(),
      byEmotion: Counts,
    }),
  ),
});

const ExportFormat = Type.Unsafe<Format>({
  type: 'string',
  enum: ['csv', 'json'],
  description: 'csv (RFC 4180, header row) or json (an array of /logs items)',
});

export const ExportQuery = Type.Object(
  { format: ExportFormat, ...LogsFilterProperties },
  { additionalProperties: false },
);

export const ExportResponse = {
  description: `CSV with the header \`${CSV_COLUMNS.join(',')}\`, or JSON: an array of /logs items`,
  content: {
    // Unsafe<unknown>: the body is sent as a stream, never through a serializer.
    'text/csv': { schema: Type.Unsafe<unknown>({ type: 'string' }) },
    'application/json': { schema: Type.Array(PredictionResponse) },
  },
};
