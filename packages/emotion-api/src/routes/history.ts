import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.js';
import {
  deletePrediction,
  findPrediction,
  listPredictions,
  type PredictionFilter,
  type PredictionQuery,
  predictionStats,
} from '../db/predictions.repository.js';
import { AppError } from '../errors.js';
import { EMOTIONS, type Emotion } from '../model/index.js';
import {
  EmotionLabel,
  IdParams,
  PredictionResponse,
  ProblemResponses,
  secured,
  toPredictionResponse,
} from './schemas.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

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
/** Those filters as the route sees them after schema validation. */
export interface LogsFilter {
  emotion?: unknown;
  minConfidence?: number;
  maxConfidence?: number;
  from?: string;
  to?: string;
}

const LogsQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 }),
    ...LogsFilterProperties,
  },
  { additionalProperties: false },
);

function invalid(path: string, message: string): AppError {
  return new AppError(400, 'validation_failed', 'Validation failed', `${path} ${message}`, {
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
  if (typeof q.emotion === 'string') filter.emotion = q.emotion as Emotion;
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

/** The caller's history: GET /logs, DELETE /logs/:id, GET /images/:id, GET /stats. */
export async function historyRoutes(instance: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { db, images } = ctx;
  const tags = ['history'];

  app.get(
    '/logs',
    {
      preHandler: ctx.requireAuth,
      schema: {
        ...secured,
        tags,
        summary: "The caller's predictions, newest first",
        querystring: LogsQuery,
        response: {
          200: Type.Object({
            items: Type.Array(PredictionResponse),
            total: Type.Integer(),
            limit: Type.Integer(),
            offset: Type.Integer(),
          }),
          ...ProblemResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const filter: PredictionFilter = { ...toPredictionQuery(q), limit: q.limit, offset: q.offset };
      const { items, total } = listPredictions(db, request.user.id, filter);
      return { items: items.map(toPredictionResponse), total, limit: q.limit, offset: q.offset };
    },
  );

  app.delete(
    '/logs/:id',
    {
      preHandler: ctx.requireAuth,
      schema: {
        ...secured,
        tags,
        summary: 'Delete one of your predictions and its image',
        params: IdParams,
        response: { 204: Type.Null(), ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const removed = deletePrediction(db, request.user.id, request.params.id);
      if (!removed) throw new AppError(404, 'not_found', 'Not found', 'No such prediction.');
      await images.remove(removed.imageFile);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/images/:id',
    {
      preHandler: ctx.requireAuth,
      schema: {
        ...secured,
        tags,
        summary: 'The stored image of one of your predictions (re-encoded JPEG, no metadata)',
        params: IdParams,
        produces: ['image/jpeg'],
        response: { 200: Type.Unsafe({ type: 'string', format: 'binary' }), ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const prediction = findPrediction(db, request.user.id, request.params.id);
      const stream = prediction ? await images.open(prediction.imageFile) : undefined;
      if (!stream) throw new AppError(404, 'not_found', 'Not found', 'No such image.');
      return reply
        .type('image/jpeg')
        .header('cache-control', 'private, max-age=3600')
        .header('x-content-type-options', 'nosniff')
        .send(stream);
    },
  );

  const Counts = Type.Object(Object.fromEntries(EMOTIONS.map((e) => [e, Type.Integer({ minimum: 0 })])));
  app.get(
    '/stats',
    {
      preHandler: ctx.requireAuth,
      schema: {
        ...secured,
        tags,
        summary: "Counts of the caller's predictions by emotion and by UTC day",
        response: {
          200: Type.Object({
            total: Type.Integer(),
            byEmotion: Counts,
            byDay: Type.Array(
              Type.Object({
                date: Type.String({ format: 'date' }),
                count: Type.Integer(),
                byEmotion: Counts,
              }),
            ),
          }),
          ...ProblemResponses,
        },
      },
    },
    async (request) => predictionStats(db, request.user.id),
  );
}
