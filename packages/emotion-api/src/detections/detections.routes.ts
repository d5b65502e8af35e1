/** POST /detect: one uploaded image in, the emotion of every face out, stored in the caller's history. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ProblemError } from '@emotion-app/protocol';
import { Detection, detectQuerySchema } from '@emotion-app/protocol/emotion';
import type { RouteOptions } from '../context.js';
import { ProblemResponses, secured } from '../http/schemas.js';
import { DEFAULT_MODEL, MODEL_IDS } from '../models/models.catalogue.js';
import { receiveImage } from './detections.upload.js';

export const detectionRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { ctx }) => {
  const { config, detections, requireAuth } = ctx;
  const rateLimit = app.rateLimit({
    max: config.detectRateLimit,
    timeWindow: 60_000,
    keyGenerator: (request) => `detect:${request.user?.id ?? request.ip}`,
    errorResponseBuilder: (_request, context) =>
      new ProblemError({
        code: 'rate_limited',
        detail: `At most ${context.max} detections a minute; retry in ${context.after}.`,
      }),
  });

  app.post(
    '/detect',
    {
      preHandler: [requireAuth, rateLimit],
      schema: {
        ...secured,
        tags: ['emotions'],
        summary: 'Detect the emotion of every face in an image',
        description:
          `multipart/form-data with one file field \`image\` (JPEG, PNG or WebP, up to ${config.maxUploadBytes} bytes). ` +
          'Answers the largest face at the top level and every face in `faces`. 422 no_face_detected or ' +
          'low_confidence (still stored), 413 payload_too_large / image_too_large, 415 unsupported_media_type, ' +
          `503 server_busy with Retry-After when ${config.detectQueueMax} uploads already wait for the ` +
          `${config.modelWorkers} image slot(s) (DETECT_QUEUE_MAX). \`model\` picks one of GET /models ` +
          `(absent: \`${DEFAULT_MODEL.id}\`); another id is 400 validation_failed before the upload is read.`,
        consumes: ['multipart/form-data'],
        // Validated before the preHandlers, so an unknown model is refused before the upload is read.
        querystring: detectQuerySchema(MODEL_IDS),
        response: { 200: Detection, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const upload = await receiveImage(request, reply, config.maxUploadBytes);
      // A client that goes away while its upload waits for a slot leaves the queue.
      const gone = new AbortController();
      const onClose = () => gone.abort(new ProblemError({ code: 'client_closed' }));
      reply.raw.once('close', onClose);
      try {
        // The schema above has already refused any id the catalogue lacks.
        const { model } = request.query as { model?: string };
        return reply.send(
          await detections.detectAndStore(request.user, upload, { signal: gone.signal, model }),
        );
      } finally {
        reply.raw.off('close', onClose);
      }
    },
  );
};
