/**
 * emotion-api's `/auth/*` answers that differ from auth-server's (DESIGN §4): the session a
 * browser gets with its cookies, the two answers of POST /auth/verify, and GET /auth/me, whose
 * user comes from the verified token alone when auth-server is unreachable. The other `/auth/*`
 * routes answer as auth-server does (`@emotion-app/protocol/auth`). Pure data: safe to import in
 * browsers.
 */
import { type Static, Type } from '@sinclair/typebox';
import { User } from '../auth/contract.js';

/** Answer of POST /auth/login and /auth/refresh (the cookies are set as well). */
export const ApiSession = Type.Object({
  user: User,
  expiresAt: Type.Integer({ description: 'Unix time in seconds when the access token expires' }),
  expiresIn: Type.Integer({ description: 'seconds until the access token expires' }),
  accessToken: Type.String({ description: 'for non-browser clients (Bearer); browsers use the cookies' }),
  refreshToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
});
export type ApiSession = Static<typeof ApiSession>;

/** `User` without its `$id`, which may appear only once in a response schema (the union below has two). */
const VerifiedUser = Type.Object(User.properties);

/** POST /auth/verify in the browser that registered: signed in, cookies set. */
export const VerifiedSignedIn = Type.Object({
  ...ApiSession.properties,
  user: VerifiedUser,
  signedIn: Type.Literal(true),
});

/** POST /auth/verify anywhere else: the address is confirmed, no session; sign in with the password. */
export const VerifiedOnly = Type.Object({ user: VerifiedUser, signedIn: Type.Literal(false) });

/** Answer of POST /auth/verify; tell the two apart by `signedIn`. */
export const ApiVerifyResponse = Type.Union([VerifiedSignedIn, VerifiedOnly]);
export type ApiVerifyResponse = Static<typeof ApiVerifyResponse>;

/**
 * The user of GET /auth/me: auth-server's user, or, while auth-server is unreachable, only what
 * the verified access token says (`id`, `email`, `role`).
 */
export const MeUser = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: Type.String(),
  name: Type.Optional(Type.String()),
  emailVerified: Type.Optional(Type.Boolean()),
  createdAt: Type.Optional(Type.String()),
  updatedAt: Type.Optional(Type.String()),
});
export type MeUser = Static<typeof MeUser>;

/** Answer of GET /auth/me. */
export const MeResponse = Type.Object({ user: MeUser });
export type MeResponse = Static<typeof MeResponse>;
