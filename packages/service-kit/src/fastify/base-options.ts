/**
 * The Fastify options both services start from: a pino logger that never writes credentials,
 * one-time tokens or a failed query's values, as JSON or pino-pretty text (LOG_FORMAT), with
 * health and metrics probes kept out of the info log; trusted proxies; the JSON body limit; a
 * unique request id; Ajv reporting every invalid field, with the contract's `email` format.
 */
import { randomUUID } from 'node:crypto';
import { isEmail } from '@emotion-app/protocol';
import type { FastifyLoggerOptions, FastifyServerOptions } from 'fastify';
import { loadEnv } from '../env/load-env.js';
import { LogFormat } from '../env/shared-fields.js';
import { serializeError } from './error-serializer.js';
import { type LogFormatName, prettyStream } from './log-format.js';
import { ProbeQuietLogController } from './request-log.js';

/** Request bodies are limited to 1 MB unless a service says otherwise (DESIGN §3). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Options of {@link baseFastifyOptions}. */
export interface BaseOptions {
  /** pino level (the config's `logLevel`). */
  logLevel: string;
  /** Overrides the logger (tests: `false`, or pino options with a `stream`); redaction stays. */
  logger?: FastifyServerOptions['logger'];
  /**
   * `pretty` or `json` (the config's `logFormat`); unset = `LOG_FORMAT` from the environment
   * (invalid: a `ConfigError`), else pretty on a terminal. Ignored when `logger` brings a stream.
   */
  logFormat?: LogFormatName;
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

function loggerOptions(
  level: string,
  given: FastifyServerOptions['logger'],
  format: LogFormatName | undefined,
): FastifyServerOptions['logger'] {
  if (given === false) return false;
  const base = given === undefined || given === true ? { level } : given;
  const pretty = !('stream' in base) && (format ?? loadEnv({ format: LogFormat }).format) === 'pretty';
  return {
    ...(pretty ? { stream: prettyStream() } : {}),
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
    logger: loggerOptions(options.logLevel, options.logger, options.logFormat),
    logController: new ProbeQuietLogController(),
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
