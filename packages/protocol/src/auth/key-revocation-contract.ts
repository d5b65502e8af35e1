/**
 * The auth-server contract of the asymmetric signing keys and the revocation feed (DESIGN §7):
 * the JWKS, the admin key list and rotation, the revocation events and their cursor paging.
 * Schemas with their static types, like contract.ts. Pure data: safe to import in browsers.
 */
import { type Static, Type } from '@sinclair/typebox';

/** A public signing key as `GET /.well-known/jwks.json` lists it (DESIGN §7): never `d` or `k`. */
export const PublicJwkEntry = Type.Object({
  kid: Type.String(),
  kty: Type.Union([Type.Literal('EC'), Type.Literal('RSA'), Type.Literal('OKP')]),
  alg: Type.Union([Type.Literal('ES256'), Type.Literal('RS256'), Type.Literal('EdDSA')]),
  use: Type.Literal('sig'),
  crv: Type.Optional(Type.String()),
  x: Type.Optional(Type.String()),
  y: Type.Optional(Type.String()),
  n: Type.Optional(Type.String()),
  e: Type.Optional(Type.String()),
});
export type PublicJwkEntry = Static<typeof PublicJwkEntry>;

export const JwksResponse = Type.Object({ keys: Type.Array(PublicJwkEntry) });
export type JwksResponse = Static<typeof JwksResponse>;

export const SigningKeyStatus = Type.Union([
  Type.Literal('next'),
  Type.Literal('current'),
  Type.Literal('previous'),
]);
export type SigningKeyStatus = Static<typeof SigningKeyStatus>;

export const SigningKeyInfo = Type.Object({
  kid: Type.String(),
  alg: Type.String(),
  status: SigningKeyStatus,
  createdAt: Type.String({ format: 'date-time' }),
});
export type SigningKeyInfo = Static<typeof SigningKeyInfo>;

/** `GET /api/admin/keys` and `POST /api/admin/keys/rotate`: newest first. */
export const SigningKeysResponse = Type.Object({ keys: Type.Array(SigningKeyInfo) });
export type SigningKeysResponse = Static<typeof SigningKeysResponse>;

export const RotateKeysBody = Type.Object({ immediate: Type.Optional(Type.Boolean()) });
export type RotateKeysBody = Static<typeof RotateKeysBody>;

export const RevocationEventType = Type.Union([
  Type.Literal('session_revoked'),
  Type.Literal('user_tokens_revoked'),
  Type.Literal('user_deleted'),
]);
export type RevocationEventType = Static<typeof RevocationEventType>;

/** One event of the revocation feed (DESIGN §7); `id` is also the cursor after it. */
export const RevocationEvent = Type.Object({
  id: Type.String(),
  type: RevocationEventType,
  at: Type.String({ format: 'date-time' }),
  sid: Type.Optional(Type.String()),
  sub: Type.Optional(Type.String()),
  /** Unix seconds: tokens of `sub` issued before it are revoked. */
  notBefore: Type.Optional(Type.Integer()),
});
export type RevocationEvent = Static<typeof RevocationEvent>;

/** A feed cursor: the id of the last event seen, "0" before any. */
export const RevocationCursor = Type.String({ pattern: '^[0-9]{1,18}$' });

/** Query of `GET /api/auth/revocations`: query values are strings, so `limit` is 1..1000 in digits. */
export const RevocationsQuery = Type.Object({
  since: Type.Optional(RevocationCursor),
  limit: Type.Optional(
    Type.String({ pattern: '^(1000|[1-9][0-9]{0,2})$', description: '1 to 1000, default 1000' }),
  ),
});
export type RevocationsQuery = Static<typeof RevocationsQuery>;

export const RevocationsResponse = Type.Object({
  cursor: Type.String(),
  events: Type.Array(RevocationEvent),
});
export type RevocationsResponse = Static<typeof RevocationsResponse>;
