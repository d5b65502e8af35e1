/**
 * The auth-server HTTP contract (DESIGN §3) as JSON schemas with their static types.
 * auth-server validates and serializes with these schemas and auth-client types its calls
 * with them, so the two cannot drift; `endpoints.ts` lists the routes. The schemas of the signing
 * keys and the revocation feed are in key-revocation-contract.ts. Pure data: safe to import in
 * browsers.
 */
import { type Static, Type } from '@sinclair/typebox';

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    code: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', additionalProperties: true },
);
export type Problem = Static<typeof Problem>;

// A pragmatic RFC 6531 shape check: one "@", no whitespace, control or quoting characters,
// a dotted domain of non-empty labels. Unicode letters are allowed on both sides.
const EMAIL_RE =
  /^[^\s@"(),:;<>[\]\\\p{Cc}]{1,64}@(?=.{1,253}$)[^\s@"(),:;<>[\]\\.\p{Cc}_]+(\.[^\s@"(),:;<>[\]\\.\p{Cc}_]+)+$/u;

/**
 * The `email` format of every schema here. Servers validating with these schemas register it
 * (Ajv: `ajv.addFormat('email', isEmail)`), so auth-server and the services in front of it accept
 * the same addresses, Unicode ones included.
 */
export function isEmail(value: string): boolean {
  return EMAIL_RE.test(value) && !value.startsWith('.') && !value.includes('..') && !value.includes('.@');
}

/**
 * No control characters (Unicode category Cc: C0, DEL, C1; NUL among them). Every free-text field
 * of the contract carries it, so a NUL or an escape sequence is refused with 400
 * `validation_failed` before it can reach a database, a log line or a mail.
 */
const NO_CONTROL_CHARACTERS = '^[^\\p{Cc}]*$';

const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 });
/**
 * Any character: a password is only ever hashed (argon2id), never stored, logged or mailed, so
 * refusing characters would only refuse passwords that worked before.
 */
const Password = Type.String({ minLength: 1, maxLength: 1024 });
const Name = Type.String({ minLength: 1, maxLength: 100, pattern: NO_CONTROL_CHARACTERS });
const OpaqueToken = Type.String({ minLength: 1, maxLength: 512, pattern: NO_CONTROL_CHARACTERS });

/** PKCE (RFC 7636, S256): base64url SHA-256 of a code verifier, 43 characters. */
const CodeChallenge = Type.String({
  minLength: 43,
  maxLength: 43,
  pattern: '^[A-Za-z0-9_-]{43}$',
  description: 'base64url (no padding) SHA-256 of a code verifier the registering browser keeps',
});
/** PKCE (RFC 7636): 43 to 128 unreserved characters; a base64url string of 32+ random bytes. */
const CodeVerifier = Type.String({
  minLength: 43,
  maxLength: 128,
  pattern: '^[A-Za-z0-9._~-]{43,128}$',
  description: 'the code verifier whose SHA-256 was sent as codeChallenge at registration',
});

export const Role = Type.Union([Type.Literal('user'), Type.Literal('admin')]);
export type Role = Static<typeof Role>;

export const User = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    name: Type.String(),
    role: Role,
    emailVerified: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'User' },
);
export type User = Static<typeof User>;

export const UserResponse = Type.Object({ user: User });
export type UserResponse = Static<typeof UserResponse>;

/** A token pair as returned by login, verify and refresh. */
export const Session = Type.Object(
  {
    accessToken: Type.String(),
    tokenType: Type.Literal('Bearer'),
    expiresIn: Type.Integer({ description: 'seconds until the access token expires' }),
    expiresAt: Type.Integer({ description: 'Unix time in seconds' }),
    refreshToken: Type.String(),
    user: User,
  },
  { $id: 'Session' },
);
export type Session = Static<typeof Session>;

/**
 * Answer of POST /api/auth/verify: a {@link Session} when the registration sent no code challenge
 * or the verifier matched it; otherwise `{ user }` only (the email is verified, no session: the
 * user signs in with the password). Tell them apart with `'accessToken' in answer`.
 */
export const VerifyResponse = Type.Union([
  Session,
  // The user schema again without its $id: a schema id may appear only once in a response.
  Type.Object({ user: Type.Object(User.properties) }),
]);
export type VerifyResponse = Static<typeof VerifyResponse>;

export const RegisterBody = Type.Object({
  name: Name,
  email: Email,
  password: Password,
  passwordConfirm: Type.Optional(Password),
  /**
   * Binds the verification link to this browser: verifying then signs in only with the matching
   * `codeVerifier` (POST /api/auth/verify).
   */
  codeChallenge: Type.Optional(CodeChallenge),
});
export type RegisterBody = Static<typeof RegisterBody>;

export const StatusMessage = Type.Object({ status: Type.String(), message: Type.String() });
export type StatusMessage = Static<typeof StatusMessage>;

export const TokenBody = Type.Object({ token: OpaqueToken });
export type TokenBody = Static<typeof TokenBody>;

/** POST /api/auth/verify: the token from the mail, and the verifier of the registration's challenge. */
export const VerifyBody = Type.Object({ token: OpaqueToken, codeVerifier: Type.Optional(CodeVerifier) });
export type VerifyBody = Static<typeof VerifyBody>;

export const EmailBody = Type.Object({ email: Email });
export type EmailBody = Static<typeof EmailBody>;

export const LoginBody = Type.Object({
  email: Email,
  password: Password,
  deviceToken: Type.Optional(OpaqueToken),
});
export type LoginBody = Static<typeof LoginBody>;

export const RefreshBody = Type.Object({ refreshToken: OpaqueToken });
export type RefreshBody = Static<typeof RefreshBody>;

export const LogoutScope = Type.Union([
  Type.Literal('local'),
  Type.Literal('global'),
  Type.Literal('others'),
]);
export type LogoutScope = Static<typeof LogoutScope>;

export const LogoutBody = Type.Object({
  refreshToken: Type.Optional(OpaqueToken),
  scope: Type.Optional(LogoutScope),
});
export type LogoutBody = Static<typeof LogoutBody>;

export const ResetPasswordBody = Type.Object({ token: OpaqueToken, password: Password });
export type ResetPasswordBody = Static<typeof ResetPasswordBody>;

export const IntrospectBody = Type.Object({ token: Type.String({ maxLength: 8192 }) });
export type IntrospectBody = Static<typeof IntrospectBody>;

export const IntrospectResponse = Type.Object({
  active: Type.Boolean(),
  sub: Type.Optional(Type.String()),
  sid: Type.Optional(Type.String()),
  exp: Type.Optional(Type.Integer()),
  iat: Type.Optional(Type.Integer()),
  email: Type.Optional(Type.String()),
  role: Type.Optional(Role),
});
export type IntrospectResponse = Static<typeof IntrospectResponse>;

export const UpdateUserBody = Type.Object({ name: Name });
export type UpdateUserBody = Static<typeof UpdateUserBody>;

export const ChangePasswordBody = Type.Object({ currentPassword: Password, newPassword: Password });
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

export const SessionInfo = Type.Object({
  id: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.String({ format: 'date-time' }),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  current: Type.Boolean(),
});
export type SessionInfo = Static<typeof SessionInfo>;

export const SessionsResponse = Type.Object({ sessions: Type.Array(SessionInfo) });
export type SessionsResponse = Static<typeof SessionsResponse>;

/**
 * GET /api/health: `{ status, db }`, plus `redis` when auth-server has REDIS_URL (`"down"` while
 * rate limiting runs from memory; the answer stays 200).
 */
export const HealthResponse = Type.Object({
  status: Type.String(),
  db: Type.String(),
  redis: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('down')])),
});
export type HealthResponse = Static<typeof HealthResponse>;

export const OutboxMessage = Type.Object({
  id: Type.String(),
  to: Type.String(),
  subject: Type.String(),
  text: Type.String(),
  html: Type.String(),
  links: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});
export type OutboxMessage = Static<typeof OutboxMessage>;

export const OutboxResponse = Type.Object({ messages: Type.Array(OutboxMessage) });
export type OutboxResponse = Static<typeof OutboxResponse>;

/** Claims of an access token (DESIGN §3). */
export interface AccessTokenClaims {
  iss: string;
  aud: string | string[];
  sub: string;
  sid: string;
  email: string;
  role: Role;
  iat: number;
  exp: number;
  nbf?: number;
  [claim: string]: unknown;
}
