/** The caller's history: GET /logs, GET /logs/export, DELETE /logs/:id, GET /images/:id, GET /stats. */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Detection,
  EXPORT_CSV_COLUMNS,
  type ExportFormat,
  ExportQuery,
  type LogsFilter,
  LogsPage,
  LogsQuery,
  PredictionIdParams as IdParams,
  Stats,
} from '@emotion-app/protocol/emotion';
import { Type } from '@sinclair/typebox';
import type { RouteOptions } from '../context.js';
import { ProblemResponses, secured } from '../http/schemas.js';

const tags = ['history'];

/** The 200 of GET /logs/export in the OpenAPI document: a CSV or a JSON array of /logs items. */
const ExportResponse = {
  description: `CSV with the header \`${EXPORT_CSV_COLUMNS.join(',')}\`, or JSON: an array of /logs items`,
  content: {
    // Unsafe<unknown>: the body is sent as a stream, never through a serializer.
    'text/csv': { schema: Type.Unsafe<unknown>({ type: 'string' }) },
    'application/json': { schema: Type.Array(Detection) },
  },
};

export const historyRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { ctx }) => {
  const { history, requireAuth } = ctx;

  app.get(
    '/logs',
    {
      preHandler: requireAuth,
      schema: {
        ...secured,
        tags,
        summary: "The caller's predictions, newest first",
        querystring: LogsQuery,
        response: { 200: LogsPage, ...ProblemResponses },
      },
    },
    // The provider types the enum schemas (emotion, format) as unknown; their values are checked.
    async (request) => history.list(request.user.id, request.query as typeof request.query & LogsFilter),
  );

  app.get(
    '/logs/export',
    {
      preHandler: requireAuth,
      schema: {
        ...secured,
        tags,
        summary:
          "Every one of the caller's predictions matching the /logs filters, newest first, as a CSV or JSON attachment",
        querystring: ExportQuery,
        produces: ['text/csv', 'application/json'],
        response: { 200: ExportResponse, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const { format, ...filter } = request.query;
      const file = await history.export(request.user.id, format as ExportFormat, filter as LogsFilter);
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .header('cache-control', 'private, no-store')
        .send(Readable.from(file.body));
    },
  );

  app.delete(
    '/logs/:id',
    {
      preHandler: requireAuth,
      schema: {
        ...secured,
        tags,
        summary: 'Delete one of your predictions and its image',
        params: IdParams,
        response: { 204: Type.Null(), ...ProblemResponses },
      },
    },
    async (request, reply) => {
      await history.remove(request.user.id, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/images/:id',
    {
      preHandler: requireAuth,
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
      const stream = await history.openImage(request.user.id, request.params.id);
      return reply
        .type('image/jpeg')
        .header('cache-control', 'private, max-age=3600')
        .header('x-content-type-options', 'nosniff')
        .send(stream);
    },
  );

  app.get(
    '/stats',
    {
      preHandler: requireAuth,
      schema: {
        ...secured,
        tags,
        summary: "Counts of the caller's predictions by emotion and by UTC day",
        response: { 200: Stats, ...ProblemResponses },
      },
    },
    async (request) => history.stats(request.user.id),
  );
};
