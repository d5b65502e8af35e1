/**
 * The shapes the page exchanges with emotion-api (DESIGN §3 and §4), in one place: the contract
 * itself comes from `@emotion-app/protocol` (auth) and `@emotion-app/protocol/emotion`; only the
 * web's own names for it are declared here. Type-only imports: no schema reaches the bundle
 * through this file.
 */
import type { LogsFilter, LogsPage, LogsQuery, MeUser } from '@emotion-app/protocol/emotion';

export {
  type Emotion,
  EMOTIONS,
  type LogoutScope,
  type SessionInfo,
  type SessionsResponse,
  type StatusMessage,
  type User,
  type UserResponse,
} from '@emotion-app/protocol';
export type {
  ApiHealth as Health,
  ApiSession,
  ApiVerifyResponse,
  Detection,
  ExportFormat,
  Face,
  FaceBox as Box,
  LogsPage as LogPage,
  MeResponse,
  ModelInfo,
  ModelList,
  Probabilities,
  Stats,
} from '@emotion-app/protocol/emotion';

/**
 * `GET /auth/me`'s user: auth-server's user, or, while auth-server is unreachable, what the
 * verified access token says (id, email and role only).
 */
export type CurrentUser = MeUser;

/** One item of `GET /logs` (a stored detection). */
export type LogItem = LogsPage['items'][number];

/** The filters of `GET /logs` and `GET /logs/export` (confidences 0–1, instants in ISO 8601). */
export type LogQuery = LogsFilter;

/** A page of `GET /logs`: the filters with the page's `limit` and `offset` set. */
export type LogFilters = LogsFilter & Required<Pick<LogsQuery, 'limit' | 'offset'>>;
