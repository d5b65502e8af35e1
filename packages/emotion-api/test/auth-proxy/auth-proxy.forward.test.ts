import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authEndpoints } from '@emotion-app/protocol';
import { proxyPath } from '../../src/auth-proxy/auth-proxy.forward.js';

describe('proxyPath', () => {
  it("maps auth-server's paths onto emotion-api's /auth/*", () => {
    assert.equal(proxyPath(authEndpoints.login), '/auth/login');
    assert.equal(proxyPath(authEndpoints.verifyEmail), '/auth/verify');
    assert.equal(proxyPath(authEndpoints.getUser), '/auth/me');
    assert.equal(proxyPath(authEndpoints.changePassword), '/auth/password');
    assert.equal(proxyPath(authEndpoints.listSessions), '/auth/sessions');
    assert.equal(proxyPath(authEndpoints.revokeSession), '/auth/sessions/:id');
  });
});
