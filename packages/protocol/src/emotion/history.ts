/**
 * emotion-api's history contract (DESIGN §4): the /logs filters, page and export, /stats, and the
 * id of one prediction. Pure data: safe to import in browsers.
 */
import { type Static, Type } from '@sinclair/typebox';
import { type Emotion, EMOTIONS } from '../emotions.js';
import { Detection, EmotionLabel } from './detections.js';

/** The filters of GET /logs, shared with GET /logs/export. */
export const LogsFilterProperties = {
  emotion: Type.Optional(EmotionLabel),
  model: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'a model id of GET /models; another id is 400 validation_failed',
    }),
  ),
  minConfidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  maxConfidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  from: Type.Optional(Type.String({ description: 'inclusive; YYYY-MM-DD (UTC day) or ISO-8601 date-time' })),
  to: Type.Optional(
    Type.String({ description: 'YYYY-MM-DD includes that whole UTC day; a date-time is exclusive' }),
  ),
};

/** The filters alone (what /logs and /logs/export share). */
export const LogsFilter = Type.Object(LogsFilterProperties, { additionalProperties: false });
export type LogsFilter = Static<typeof LogsFilter>;

/** Query of GET /logs: a page (`limit` 1–100, default 20; `offset`) and the filters. */
export const LogsQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 }),
    ...LogsFilterProperties,
  },
  { additionalProperties: false },
);
/** What a client sends: `limit` and `offset` have defaults. */
export type LogsQuery = Partial<Pick<Static<typeof LogsQuery>, 'limit' | 'offset'>> & LogsFilter;

/** Answer of GET /logs: the caller's detections, newest first. */
export const LogsPage = Type.Object({
  items: Type.Array(Detection),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
export type LogsPage = Static<typeof LogsPage>;

/** The formats of GET /logs/export. */
export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The header row of a CSV export; the seven label columns are the top face's probabilities. */
export const EXPORT_CSV_COLUMNS = ['id', 'createdAt', 'emotion', 'confidence', 'faces', ...EMOTIONS] as const;

/** Query of GET /logs/export: the format (another value is 400 `validation_failed`) and the filters. */
export const ExportQuery = Type.Object(
  {
    format: Type.Unsafe<ExportFormat>({
      type: 'string',
      enum: [...EXPORT_FORMATS],
      description: 'csv (RFC 4180, header row) or json (an array of /logs items)',
    }),
    ...LogsFilterProperties,
  },
  { additionalProperties: false },
);
export type ExportQuery = Static<typeof ExportQuery>;

/**
 * A prediction id in a path (DELETE /logs/:id, GET /images/:id). Not checked as a UUID: an id
 * that names no row of the caller, well formed or not, is simply not found (404), never a 400.
 */
export const PredictionIdParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100, description: 'prediction id (a UUID)' }),
});
export type PredictionIdParams = Static<typeof PredictionIdParams>;

/** A count per label. */
export const EmotionCounts = Type.Unsafe<Record<Emotion, number>>(
  Type.Object(Object.fromEntries(EMOTIONS.map((e) => [e, Type.Integer({ minimum: 0 })]))),
);
export type EmotionCounts = Static<typeof EmotionCounts>;

/** Answer of GET /stats: the caller's detections by emotion and by UTC day. */
export const Stats = Type.Object({
  total: Type.Integer(),
  byEmotion: EmotionCounts,
  byDay: Type.Array(
    Type.Object({
      date: Type.String({ format: 'date' }),
      count: Type.Integer(),
      byEmotion: EmotionCounts,
    }),
  ),
});
export type Stats = Static<typeof Stats>;
