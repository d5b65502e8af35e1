/**
 * auth-server's routes of the signing keys and the revocation feed (DESIGN §7): the JWKS, the
 * admin key list and rotation, the revocation events and their stream. Part of `authEndpoints`
 * (endpoints.ts), which checks them against its `Endpoint` shape. Browser-safe.
 */
import { Type } from '@sinclair/typebox';
import {
  JwksResponse,
  RevocationCursor,
  RevocationsQuery,
  RevocationsResponse,
  RotateKeysBody,
  SigningKeysResponse,
} from './key-revocation-contract.js';

const auth = ['auth'];

export const keyRevocationEndpoints = {
  jwks: {
    name: 'jwks',
    method: 'GET',
    path: '/.well-known/jwks.json',
    status: 200,
    response: JwksResponse,
    auth: 'none',
    tags: ['keys'],
    description:
      'The public keys (next, current and previous) that verify access tokens, with ' +
      '`Cache-Control: public, max-age=300`. Empty with JWT_ALG=HS256.',
  },
  listSigningKeys: {
    name: 'listSigningKeys',
    method: 'GET',
    path: '/api/admin/keys',
    status: 200,
    response: SigningKeysResponse,
    auth: 'service-key-or-admin',
    tags: ['keys'],
  },
  rotateSigningKeys: {
    name: 'rotateSigningKeys',
    method: 'POST',
    path: '/api/admin/keys/rotate',
    body: Type.Optional(RotateKeysBody),
    status: 200,
    response: SigningKeysResponse,
    auth: 'service-key-or-admin',
    tags: ['keys'],
    description:
      'Publishes a new key at once; it signs after KEY_ROTATION_DELAY_SECONDS, or at once with ' +
      '`immediate: true`. 409 `conflict` with JWT_ALG=HS256.',
  },
  revocations: {
    name: 'revocations',
    method: 'GET',
    path: '/api/auth/revocations',
    query: RevocationsQuery,
    status: 200,
    response: RevocationsResponse,
    auth: 'service-key',
    tags: auth,
    description:
      'Revocation events after `since` (ordered by id; a full resync without it). 410 ' +
      '`cursor_expired` when `since` is older than the retained events.',
  },
  revocationStream: {
    name: 'revocationStream',
    method: 'GET',
    path: '/api/auth/revocations/stream',
    query: Type.Object({ since: Type.Optional(RevocationCursor) }),
    status: 200,
    response: Type.String({ description: 'text/event-stream' }),
    auth: 'service-key',
    tags: auth,
    description:
      'The revocation events as Server-Sent Events (`id:` the event id, `event: revocation`); ' +
      'resumes after `Last-Event-ID` or `since`; a `: heartbeat` comment every 15 s.',
  },
} as const;
