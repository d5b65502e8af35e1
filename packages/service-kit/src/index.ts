/**
 * `@emotion-app/service-kit`: the shell both services share. A declarative environment schema
 * (`loadEnv` and the shared fields), `runService` (config, listen, signals), the Fastify base
 * options, the problem plugin, Prometheus metrics, and a `.env.example` check for tests.
 */
export {
  DEV_JWT_SECRET_FILE,
  DEV_SERVICE_KEY_FILE,
  readOrCreateDevSecret,
  waitForDevSecret,
} from './env/dev-secret.js';
export {
  checkEnvExample,
  type EnvExampleDiff,
  envExampleNames,
  KIT_VARIABLES,
} from './env/env-example.js';
export {
  type AnyEnvField,
  ConfigError,
  type EnvField,
  EnvProblem,
  type EnvRawValues,
  type EnvReader,
  type EnvSchema,
  type EnvValues,
  type FinishContext,
} from './env/env-field.js';
export {
  firstSet,
  integer,
  list,
  number,
  oneOf,
  optionalText,
  text,
  type UrlOptions,
  url,
} from './env/fields.js';
export { type Env, type LoadEnvOptions, loadEnv, loadEnvAsync } from './env/load-env.js';
export {
  CorsOrigins,
  DataDir,
  Host,
  LOG_LEVELS,
  LogFormat,
  LogLevel,
  type LogLevelName,
  MetricsToken,
  MIN_METRICS_TOKEN_LENGTH,
  NodeEnv,
  Port,
  Secret,
  type SecretOptions,
  type SecretValue,
  TrustProxy,
} from './env/shared-fields.js';
export { type BaseOptions, baseFastifyOptions, DEFAULT_BODY_LIMIT } from './fastify/base-options.js';
export { type SerializedError, serializeError } from './fastify/error-serializer.js';
export { fastifyErrorProblem } from './fastify/fastify-errors.js';
export { defaultLogFormat, LOG_FORMATS, type LogFormatName, prettyStream } from './fastify/log-format.js';
export { isProbe, PROBE_PATHS, ProbeQuietLogController } from './fastify/request-log.js';
export {
  Counter,
  Gauge,
  Histogram,
  METRICS_PATH,
  type MetricsOptions,
  type Registry,
  registerMetrics,
  UNMATCHED_ROUTE,
} from './fastify/metrics.js';
export { type ProblemPluginOptions, problemPlugin, sendProblem } from './fastify/problem-plugin.js';
export {
  assertPrometheusText,
  type PrometheusSample,
  type PrometheusText,
  parsePrometheusText,
} from './fastify/prometheus-text.js';
export { type CspDirectives, registerSecurityHeaders } from './fastify/security-headers.js';
export { fieldErrors, validationProblem } from './fastify/validation-errors.js';
export { type ListenConfig, type RunServiceOptions, runService } from './run-service.js';
export { createPgPool, type PgPoolOptions } from './database/pg-pool.js';
export { databaseUnavailable, isDatabaseUnavailable, toDatabaseUnavailable } from './database/unavailable.js';
