import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.js';
import { iteratePredictions, type Prediction } from '../db/predictions.repository.js';
import { csvRow } from '../http/csv.js';
import { EMOTIONS } from '../model/index.js';
import { LogsFilterProperties, toPredictionQuery } from './history.js';
import { PredictionResponse, ProblemResponses, secured, toPredictionResponse } from './schemas.js';

export const CSV_COLUMNS = ['id', 'createdAt', 'emotion', 'confidence', 'faces', ...EMOTIONS] as const;

const ExportFormat = Type.Unsafe<'csv' | 'json'>({
  type: 'string',
  enum: ['csv', 'json'],
  description: 'csv (RFC 4180, header row) or json (an array of /logs items)',
});

const ExportQuery = Type.Object(
  { format: ExportFormat, ...LogsFilterProperties },
  { additionalProperties: false },
);

/** Rows written to the stream per chunk: few writes, memory bounded by one page. */
const ROWS_PER_CHUNK = 200;

/** A prediction as one CSV record; the seven columns are the top face's probabilities. */
function csvRecord(p: Prediction): string {
  return csvRow([
    p.id,
    p.createdAt,
    p.emotion,
    p.confidence,
    p.faces.length,
    ...EMOTIONS.map((e) => p.probabilities[e]),
  ]);
}

/** Joins what `encode` makes of each row into chunks of ROWS_PER_CHUNK rows. */
function* chunks(rows: Iterable<Prediction>, encode: (p: Prediction, index: number) => string) {
  let chunk = '';
  let index = 0;
  for (const row of rows) {
    chunk += encode(row, index++);
    if (index % ROWS_PER_CHUNK === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

function* csvBody(rows: Iterable<Prediction>): Generator<string> {
  yield csvRow(CSV_COLUMNS);
  yield* chunks(rows, csvRecord);
}

function* jsonBody(rows: Iterable<Prediction>): Generator<string> {
  yield '[';
  yield* chunks(rows, (p, i) => (i === 0 ? '' : ',') + JSON.stringify(toPredictionResponse(p)));
  yield ']';
}

/** GET /logs/export: every prediction of the caller matching the /logs filters, streamed as an attachment. */
export async function exportRoutes(instance: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = ctx;

  app.get(
    '/logs/export',
    {
      preHandler: ctx.requireAuth,
      schema: {
        ...secured,
        tags: ['history'],
        summary:
          "Every one of the caller's predictions matching the /logs filters, newest first, as a CSV or JSON attachment",
        querystring: ExportQuery,
        produces: ['text/csv', 'application/json'],
        response: {
          200: {
            description: `CSV with the header \`${CSV_COLUMNS.join(',')}\`, or JSON: an array of /logs items`,
            content: {
              // Unsafe<unknown>: the body is sent as a stream, never through a serializer.
              'text/csv': { schema: Type.Unsafe<unknown>({ type: 'string' }) },
              'application/json': { schema: Type.Array(PredictionResponse) },
            },
          },
          ...ProblemResponses,
        },
      },
    },
    async (request, reply) => {
      const { format, ...filters } = request.query;
      const query = toPredictionQuery(filters);
      const rows = iteratePredictions(db, request.user.id, query);
      const date = new Date().toISOString().slice(0, 10);
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="emotions-${date}.${format}"`)
        .header('cache-control', 'private, no-store')
        .send(Readable.from(format === 'csv' ? csvBody(rows) : jsonBody(rows)));
    },
  );
}
