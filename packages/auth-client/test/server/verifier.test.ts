import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthError, isAuthError } from '../../src/errors.js';
import { createTokenVerifier } from '../../src/server/verifier.js';
import { claims, nowSec, OTHER_SECRET, SECRET, sign } from '../helpers/tokens.js';

// The verification rules themselves are tested in packages/protocol (test/jwt/verifier.test.ts).
describe('createTokenVerifier (auth-client/server)', () => {
  const verifier = createTokenVerifier({ secret: SECRET });

  it('returns the claims of a valid token', async () => {
    const payload = claims();
    assert.deepEqual(await verifier.verify(sign(payload)), payload);
  });

  it('rejects with an AuthError: 401 invalid_token or token_expired', async () => {
    const forged = sign(claims(), { secret: OTHER_SECRET });
    const expired = sign(claims({ iat: nowSec() - 120, exp: nowSec() - 60 }));
    for (const [token, code] of [
      [forged, 'invalid_token'],
      [expired, 'token_expired'],
    ] as const) {
      await assert.rejects(verifier.verify(token), (err: unknown) => {
        assert.ok(err instanceof AuthError && isAuthError(err));
        assert.equal(err.name, 'AuthError');
        assert.equal(err.status, 401);
        assert.equal(err.code, code);
        return true;
      });
    }
  });
});
