/**
 * The Fastify options both services start from: a pino logger that never writes credentials,
 * one-time tokens or a failed query's values; trusted proxies; the JSON body limit; a unique
 * request id; Ajv reporting every invalid field, with the contract's `email` format.
 */
import { randomUUID } from 'node:crypto';
import { isEmail } from '@emotion-app/protocol';
import type { FastifyLoggerOptions, FastifyServerOptions } from 'fastify';
import { serializeError } from './error-serializer.js';

/** Request bodies are limited to 1 MB unless a service says otherwise (DESIGN §3). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Options of {@link baseFastifyOptions}. */
export interface BaseOptions {
  /** pino level (the config's `logLevel`). */
  logLevel: string;
  /** Overrides the logger (tests: `false`, or pino options with a `stream`); redaction stays. */
  logger?: FastifyServerOptions['logger'];
  /** Trusted proxies (TRUST_PROXY); empty trusts none. */
  trustProxy: readonly string[];
  /** Largest accepted body in bytes; default {@link DEFAULT_BODY_LIMIT}. */
  bodyLimit?: number;
  /** Ajv's type coercion: `false` (default) refuses `{ "name": 42 }`; `'array'` for query strings. */
  coerceTypes?: boolean | 'array';
}

type Serializers = NonNullable<FastifyLoggerOptions['serializers']>;
type ErrSerializer = NonNullable<Serializers['err']>;
type ReqSerializer = NonNullable<Serializers['req']>;

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** Pino's request fields, with one-time tokens in query strings (`?token=`) redacted. */
const serializeRequest = ((req: LoggedRequest) => ({
  method: req.method,
  url: req.url.replace(/([?&]token=)[^&]*/gi, '$1[redacted]'),
  host: req.host,
  remoteAddress: req.ip,
  remotePort: req.socket?.remotePort,
})) as unknown as ReqSerializer;

function loggerOptions(level: string, given: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (given === false) return false;
  const base = given === undefined || given === true ? { level } : given;
  return {
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    ...base,
    serializers: {
      req: serializeRequest,
      ...base.serializers,
      // Fastify types `err` as returning a full `{ type, message, stack }`; pino accepts any object.
      err: serializeError as unknown as ErrSerializer,
    },
  };
}

/**
 * The options to create a service's Fastify instance with.
 *
 * @example
 * ```ts
 * const app = Fastify(baseFastifyOptions({ logLevel: config.logLevel, trustProxy: config.trustProxy }));
 * ```
 */
export function baseFastifyOptions(options: BaseOptions): FastifyServerOptions {
  return {
    logger: loggerOptions(options.logLevel, options.logger),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    trustProxy: options.trustProxy.length > 0 ? [...options.trustProxy] : false,
    genReqId: () => randomUUID(),
    ajv: {
      customOptions: { allErrors: true, coerceTypes: options.coerceTypes ?? false, removeAdditional: true },
      onCreate: (ajv) => {
        ajv.addFormat('email', { type: 'string', validate: isEmail });
      },
    },
  };
}
