/**
 * The logger's error serializer: what of an error may reach a log line. Database drivers attach
 * the failed statement to their errors (PGlite: `query`, `params`; pg: `detail` with key values,
 * `where` with parameter values, `internalQuery`, ...), and `params` can hold an argon2 hash or
 * an email. Only an allow-list of fields is kept; nothing of a query ever is.
 */

/** A serialized error as it appears in a log line. */
export interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  code?: string;
  statusCode?: number;
  /** PostgreSQL diagnostics that name schema objects, never values. */
  severity?: string;
  routine?: string;
  schema?: string;
  table?: string;
  column?: string;
  dataType?: string;
  constraint?: string;
  cause?: SerializedError | string;
  errors?: (SerializedError | string)[];
}

const STRING_FIELDS = ['severity', 'routine', 'schema', 'table', 'column', 'dataType', 'constraint'] as const;
const MAX_DEPTH = 5;

/** A PostgreSQL error (pg or PGlite): a severity and a five-character SQLSTATE. */
function isDatabaseError(err: Record<string, unknown>): boolean {
  return typeof err.severity === 'string' && typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code);
}

/** A readable type: drivers' errors are `DatabaseError` (PGlite's class name is minified). */
function errorType(value: object, err: Record<string, unknown>): string {
  if (isDatabaseError(err)) return 'DatabaseError';
  const name = value.constructor?.name;
  if (name && name !== 'Object') return name;
  return typeof err.name === 'string' && err.name ? err.name : 'Error';
}

/**
 * The error's message; for a PostgreSQL data exception (SQLSTATE class 22, e.g. `invalid input
 * syntax for type integer: "…"`), whose message quotes the offending value, with quoted values
 * replaced.
 */
function safeMessage(err: Record<string, unknown>): string {
  const message = typeof err.message === 'string' ? err.message : '';
  if (isDatabaseError(err) && String(err.code).startsWith('22')) {
    return message.replace(/"(?:[^"\\]|\\.)*"/g, '"[redacted]"');
  }
  return message;
}

/**
 * Serializes an error for pino (`serializers: { err: serializeError }`): type, message, stack
 * frames, `code`, `statusCode`, PostgreSQL's object names and the same for `cause` and
 * `errors` (AggregateError). Everything else (`query`, `params`, `parameters`, `detail`, `where`,
 * `hint`, `internalQuery`, a driver's `queryOptions`, custom fields) is dropped.
 *
 * @example
 * ```ts
 * Fastify({ logger: { serializers: { err: serializeError } } });
 * ```
 */
export function serializeError(value: unknown, depth = 0): SerializedError | string {
  if (typeof value !== 'object' || value === null) return String(value);
  const err = value as Record<string, unknown>;
  const type = errorType(value, err);
  const message = safeMessage(err);
  const out: SerializedError = { type, message };
  if (typeof err.stack === 'string') {
    // Rebuilt from the safe message and the frames: the first line of a stack repeats the raw message.
    const frames = err.stack.split('\n').filter((line) => /^\s+at /.test(line));
    out.stack = [`${type}: ${message}`, ...frames].join('\n');
  }
  if (typeof err.code === 'string' || typeof err.code === 'number') out.code = String(err.code);
  const statusCode = err.statusCode ?? err.status;
  if (typeof statusCode === 'number') out.statusCode = statusCode;
  for (const field of STRING_FIELDS) {
    if (typeof err[field] === 'string') out[field] = err[field] as string;
  }
  if (depth < MAX_DEPTH) {
    if (err.cause !== undefined) out.cause = serializeError(err.cause, depth + 1);
    if (Array.isArray(err.errors) && value instanceof AggregateError) {
      out.errors = err.errors.slice(0, 10).map((e) => serializeError(e, depth + 1));
    }
  }
  return out;
}
