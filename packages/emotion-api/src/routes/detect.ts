import { randomUUID } from 'node:crypto';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.js';
import { insertPrediction, type Prediction } from '../db/predictions.repository.js';
import { AppError } from '../errors.js';
import { prepareImage } from '../images/normalize.js';
import type { FaceEmotion } from '../model/index.js';
import { PredictionResponse, ProblemResponses, secured, toPredictionResponse } from './schemas.js';

function area(face: FaceEmotion): number {
  return face.box.width * face.box.height;
}

/**
 * Reads one multipart file into memory, failing with 413 `payload_too_large` the moment it
 * crosses `maxBytes` (busboy's own limit only reports at the end of the part, i.e. after the
 * whole upload has been received).
 */
function readUpload(file: MultipartFile, maxBytes: number): Promise<Buffer> {
  const tooLarge = () =>
    new AppError(413, 'payload_too_large', 'Payload too large', `Uploads are limited to ${maxBytes} bytes.`);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stream = file.file;
    const fail = (err: unknown) => {
      stream.removeAllListeners('data');
      stream.resume();
      reject(err);
    };
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes || stream.truncated) {
        fail(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    stream.once('limit', () => fail(tooLarge()));
    stream.once('error', fail);
    stream.once('end', () => {
      if (stream.truncated) reject(tooLarge());
      else resolve(Buffer.concat(chunks, size));
    });
  });
}

/** POST /detect: one uploaded image in, the emotion of every face out, stored in the caller's history. */
export async function detectRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { config, db, images, detector, detectQueue } = ctx;
  const rateLimit = app.rateLimit({
    max: config.detectRateLimit,
    timeWindow: 60_000,
    keyGenerator: (request) => `detect:${request.user?.id ?? request.ip}`,
    errorResponseBuilder: (_request, context) =>
      new AppError(
        429,
        'rate_limited',
        'Too many requests',
        `At most ${context.max} detections a minute; retry in ${context.after}.`,
      ),
  });

  app.post(
    '/detect',
    {
      preHandler: [ctx.requireAuth, rateLimit],
      schema: {
        ...secured,
        tags: ['emotions'],
        summary: 'Detect the emotion of every face in an image',
        description:
          `multipart/form-data with one file field \`image\` (JPEG, PNG or WebP, up to ${config.maxUploadBytes} bytes). ` +
          'Answers the largest face at the top level and every face in `faces`. 422 no_face_detected or ' +
          'low_confidence (still stored), 413 payload_too_large / image_too_large, 415 unsupported_media_type, ' +
          `503 server_busy with Retry-After when ${config.detectQueueMax} uploads already wait for the ` +
          `${config.modelWorkers} image slot(s) (DETECT_QUEUE_MAX).`,
        consumes: ['multipart/form-data'],
        response: { 200: PredictionResponse, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      let file: MultipartFile | undefined;
      try {
        file = await request.file({
          limits: { fileSize: config.maxUploadBytes, files: 1, fields: 10, parts: 20 },
        });
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
          throw new AppError(
            415,
            'unsupported_media_type',
            'Unsupported media type',
            'Send multipart/form-data with a file field "image".',
          );
        }
        throw err;
      }
      if (file?.fieldname !== 'image') {
        file?.file.resume();
        throw new AppError(
          400,
          'validation_failed',
          'Validation failed',
          'The file field "image" is required.',
          {
            errors: [{ path: 'image', message: 'is required' }],
          },
        );
      }
      const upload = await readUpload(file, config.maxUploadBytes).catch((err: unknown) => {
        // Stop the rest of the upload: answer now and close the connection.
        if (err instanceof AppError && err.status === 413) reply.header('connection', 'close');
        throw err;
      });
      // Decoding, detection and the re-encode hold one of the queue's slots (one per model worker),
      // so concurrent uploads of huge images cannot decode all at once; a full queue answers 503.
      const gone = new AbortController();
      const onClose = () => gone.abort(new AppError(499, 'client_closed', 'Client closed the request'));
      reply.raw.once('close', onClose);
      const { jpeg, faces: found } = await detectQueue
        .run(async () => {
          // The JPEG re-encode (for storage) runs while the model works on the small decoded pixels.
          const { normalized, pixels } = await prepareImage(upload, { maxPixels: config.maxImagePixels });
          const detection = pixels.then((p) => detector.detect(upload, { pixels: p }));
          detection.catch(() => {});
          const { jpeg } = await normalized;
          return { jpeg, faces: await detection };
        }, gone.signal)
        .finally(() => reply.raw.off('close', onClose));
      const faces = found.slice().sort((a, b) => area(b) - area(a));
      const top = faces[0];
      if (!top) {
        throw new AppError(422, 'no_face_detected', 'No face detected', 'No face was found in the image.');
      }
      const lowConfidence = top.confidence < config.minConfidence;
      const imageFile = await images.save(jpeg);
      const prediction: Prediction = {
        id: randomUUID(),
        userId: request.user.id,
        createdAt: new Date().toISOString(),
        emotion: top.emotion,
        confidence: top.confidence,
        probabilities: top.probabilities,
        faces,
        model: detector.model,
        imageFile,
        lowConfidence,
      };
      try {
        insertPrediction(db, prediction);
      } catch (err) {
        await images.remove(imageFile);
        throw err;
      }
      const body = toPredictionResponse(prediction);
      if (lowConfidence) {
        throw new AppError(
          422,
          'low_confidence',
          'Low confidence',
          `The best guess (${top.emotion}, ${top.confidence.toFixed(2)}) is below the minimum confidence ${config.minConfidence}.`,
          { prediction: body },
        );
      }
      return reply.send(body);
    },
  );
}
