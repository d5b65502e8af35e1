/**
 * auth-server's routes (DESIGN §3) as one table: auth-server registers its routes from it and
 * `AuthClient` calls through it, so a path, method or schema is written once. The routes of the
 * signing keys and the revocation feed are in key-revocation-endpoints.ts. Browser-safe.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import {
  ChangePasswordBody,
  EmailBody,
  HealthResponse,
  IntrospectBody,
  IntrospectResponse,
  LoginBody,
  LogoutBody,
  LogoutScope,
  OutboxResponse,
  RefreshBody,
  RegisterBody,
  ResetPasswordBody,
  Session,
  SessionsResponse,
  StatusMessage,
  UpdateUserBody,
  UserResponse,
  VerifyBody,
  VerifyResponse,
} from './contract.js';
import { keyRevocationEndpoints } from './key-revocation-endpoints.js';

/** The answer of a 204: no body. */
export const NoContent = Type.Null({ description: 'No content' });

/**
 * Who may call: anyone; a user's access token as Bearer; a Bearer that is optional (logout also
 * takes a refresh token); the service key as Bearer (DESIGN §7); or either the service key or
 * the access token of a user whose role is admin.
 */
export type EndpointAuth = 'none' | 'bearer' | 'optional-bearer' | 'service-key' | 'service-key-or-admin';

/** One route of the table. */
export interface Endpoint {
  /** The key of the endpoint in its table. */
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path with Fastify-style parameters (`/api/users/me/sessions/:id`). */
  path: string;
  body?: TSchema;
  query?: TSchema;
  params?: TSchema;
  /** Status of a successful answer. */
  status: number;
  /** Schema of a successful answer's body. */
  response: TSchema;
  /** Statuses other than `status` that answer with a body of their own (not problem+json). */
  otherResponses?: Record<number, TSchema>;
  auth: EndpointAuth;
  /** OpenAPI tags. */
  tags: readonly string[];
  /** OpenAPI description, when the schemas do not say it all. */
  description?: string;
}

/** The static type of an endpoint part, `undefined` when it has none. */
type StaticOf<S> = S extends TSchema ? Static<S> : undefined;
/** Body a client sends to `E`. */
export type EndpointBody<E extends Endpoint> = StaticOf<E['body']>;
/** Query string of `E`. */
export type EndpointQuery<E extends Endpoint> = StaticOf<E['query']>;
/** Path parameters of `E`. */
export type EndpointParams<E extends Endpoint> = StaticOf<E['params']>;
/** Body of a successful answer of `E`. */
export type EndpointResponse<E extends Endpoint> = Static<E['response']>;

const auth = ['auth'];
const users = ['users'];

export const authEndpoints = {
  register: {
    name: 'register',
    method: 'POST',
    path: '/api/auth/register',
    body: RegisterBody,
    status: 201,
    response: StatusMessage,
    auth: 'none',
    tags: auth,
  },
  verifyEmail: {
    name: 'verifyEmail',
    method: 'POST',
    path: '/api/auth/verify',
    body: VerifyBody,
    status: 200,
    response: VerifyResponse,
    auth: 'none',
    tags: auth,
    description:
      'A token pair when the registration sent no `codeChallenge` or `codeVerifier` matches it; ' +
      'otherwise `{ user }` only: the email is verified and the user signs in with the password.',
  },
  resendVerification: {
    name: 'resendVerification',
    method: 'POST',
    path: '/api/auth/resend-verification',
    body: EmailBody,
    status: 202,
    response: StatusMessage,
    auth: 'none',
    tags: auth,
  },
  login: {
    name: 'login',
    method: 'POST',
    path: '/api/auth/login',
    body: LoginBody,
    status: 200,
    response: Session,
    auth: 'none',
    tags: auth,
    description:
      'The `Device-Token` response header carries a signed device token: send it back as `deviceToken` ' +
      'on later logins, so failures from other devices cannot throttle this one out of the account.',
  },
  refresh: {
    name: 'refresh',
    method: 'POST',
    path: '/api/auth/refresh',
    body: RefreshBody,
    status: 200,
    response: Session,
    auth: 'none',
    tags: auth,
  },
  logout: {
    name: 'logout',
    method: 'POST',
    path: '/api/auth/logout',
    // Optional: a Bearer-only logout sends no body.
    body: Type.Optional(LogoutBody),
    query: Type.Object({ scope: Type.Optional(LogoutScope) }),
    status: 204,
    response: NoContent,
    auth: 'optional-bearer',
    tags: auth,
  },
  forgotPassword: {
    name: 'forgotPassword',
    method: 'POST',
    path: '/api/auth/forgot-password',
    body: EmailBody,
    status: 202,
    response: StatusMessage,
    auth: 'none',
    tags: auth,
  },
  resetPassword: {
    name: 'resetPassword',
    method: 'POST',
    path: '/api/auth/reset-password',
    body: ResetPasswordBody,
    status: 204,
    response: NoContent,
    auth: 'none',
    tags: auth,
  },
  introspect: {
    name: 'introspect',
    method: 'POST',
    path: '/api/auth/introspect',
    body: IntrospectBody,
    status: 200,
    response: IntrospectResponse,
    auth: 'service-key',
    tags: auth,
    description: 'For services (RFC 7662): send the service key as `Authorization: Bearer <SERVICE_KEY>`.',
  },
  getUser: {
    name: 'getUser',
    method: 'GET',
    path: '/api/users/me',
    status: 200,
    response: UserResponse,
    auth: 'bearer',
    tags: users,
  },
  updateUser: {
    name: 'updateUser',
    method: 'PATCH',
    path: '/api/users/me',
    body: UpdateUserBody,
    status: 200,
    response: UserResponse,
    auth: 'bearer',
    tags: users,
  },
  changePassword: {
    name: 'changePassword',
    method: 'POST',
    path: '/api/users/me/password',
    body: ChangePasswordBody,
    status: 204,
    response: NoContent,
    auth: 'bearer',
    tags: users,
  },
  listSessions: {
    name: 'listSessions',
    method: 'GET',
    path: '/api/users/me/sessions',
    status: 200,
    response: SessionsResponse,
    auth: 'bearer',
    tags: users,
  },
  revokeSession: {
    name: 'revokeSession',
    method: 'DELETE',
    path: '/api/users/me/sessions/:id',
    params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
    status: 204,
    response: NoContent,
    auth: 'bearer',
    tags: users,
  },
  health: {
    name: 'health',
    method: 'GET',
    path: '/api/health',
    status: 200,
    response: HealthResponse,
    otherResponses: { 503: HealthResponse },
    auth: 'none',
    tags: ['system'],
  },
  devOutbox: {
    name: 'devOutbox',
    method: 'GET',
    path: '/api/dev/outbox',
    query: Type.Object({ to: Type.Optional(Type.String({ maxLength: 254 })) }),
    status: 200,
    response: OutboxResponse,
    auth: 'none',
    tags: ['development'],
    description: 'Development only: absent (404) in production or when SMTP_URL is set.',
  },
  ...keyRevocationEndpoints,
} as const satisfies Record<string, Endpoint>;

/** The table's type; `AuthEndpointName` its keys. */
export type AuthEndpoints = typeof authEndpoints;
export type AuthEndpointName = keyof AuthEndpoints;

/**
 * The path of an endpoint with its parameters filled in (URI-encoded).
 *
 * @example
 * ```ts
 * endpointPath(authEndpoints.revokeSession, { id: 'a/b' }); // '/api/users/me/sessions/a%2Fb'
 * ```
 */
export function endpointPath(endpoint: Endpoint, params?: Record<string, string>): string {
  return endpoint.path.replace(/:([A-Za-z_]\w*)/g, (_match, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new TypeError(`${endpoint.name}: missing path parameter ${name}`);
    return encodeURIComponent(value);
  });
}
