/** The multipart upload of POST /detect: one file field `image`, read into memory within MAX_UPLOAD_MB. */
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isProblemError, ProblemError } from '@emotion-app/protocol';

/**
 * Reads one multipart file into memory, failing with 413 `payload_too_large` the moment it
 * crosses `maxBytes` (busboy's own limit only reports at the end of the part, i.e. after the
 * whole upload has been received).
 */
function readUpload(file: MultipartFile, maxBytes: number): Promise<Buffer> {
  const tooLarge = () =>
    new ProblemError({ code: 'payload_too_large', detail: `Uploads are limited to ${maxBytes} bytes.` });
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

/** The first file part, or 415 `unsupported_media_type` when the request is not multipart. */
async function firstFile(request: FastifyRequest, maxBytes: number): Promise<MultipartFile | undefined> {
  try {
    return await request.file({ limits: { fileSize: maxBytes, files: 1, fields: 10, parts: 20 } });
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
      throw new ProblemError({
        code: 'unsupported_media_type',
        detail: 'Send multipart/form-data with a file field "image".',
      });
    }
    throw err;
  }
}

/**
 * The bytes of the file field `image`: 415 when the request is not multipart, 400
 * `validation_failed` without that field, 413 `payload_too_large` over `maxBytes` (and the
 * connection is closed, so the client stops sending the rest).
 */
export async function receiveImage(
  request: FastifyRequest,
  reply: FastifyReply,
  maxBytes: number,
): Promise<Buffer> {
  const file = await firstFile(request, maxBytes);
  if (file?.fieldname !== 'image') {
    file?.file.resume();
    throw new ProblemError({
      code: 'validation_failed',
      detail: 'The file field "image" is required.',
      errors: [{ path: 'image', message: 'is required' }],
    });
  }
  return readUpload(file, maxBytes).catch((err: unknown) => {
    if (isProblemError(err) && err.status === 413) reply.header('connection', 'close');
    throw err;
  });
}
