/**
 * `@emotion-app/protocol`: what every package of the repository agrees on. The problem catalogue
 * and its one error class, body builder and response parser; cookie and header names; the
 * emotion labels; token constants and Bearer parsing; the auth-server contract and its endpoint
 * table. Browser-safe (no Node-only imports); the token verifier is `@emotion-app/protocol/jwt`.
 */
export * from './auth/index.js';
export { type Emotion, EMOTIONS } from './emotions.js';
export * from './http-names.js';
export {
  type ErrorCode,
  ErrorCodes,
  type FieldError,
  isProblemCode,
  PROBLEMS,
  type ProblemBody,
  type ProblemCode,
  type ProblemEntry,
} from './problems/catalogue.js';
export {
  type ClientProblemInit,
  type FailedResponse,
  type ParseProblemOptions,
  type ProblemErrorClass,
  parseRetryAfter,
  problemFromResponse,
  readProblem,
} from './problems/parse-response.js';
export {
  isProblemError,
  problemBody,
  ProblemError,
  type ProblemFields,
  type ProblemInit,
} from './problems/problem-error.js';
export * from './tokens.js';
