import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { authEndpoints, endpointPath } from '../../src/auth/endpoints.js';

describe('authEndpoints', () => {
  test('names each endpoint by its key, with one method and path per route', () => {
    const routes = new Set<string>();
    for (const [key, endpoint] of Object.entries(authEndpoints)) {
      assert.equal(endpoint.name, key);
      const route = `${endpoint.method} ${endpoint.path}`;
      assert.ok(!routes.has(route), route);
      routes.add(route);
    }
  });

  test('endpointPath fills in URI-encoded parameters and refuses missing ones', () => {
    assert.equal(endpointPath(authEndpoints.revokeSession, { id: 'a/b' }), '/api/users/me/sessions/a%2Fb');
    assert.equal(endpointPath(authEndpoints.login), '/api/auth/login');
    assert.throws(() => endpointPath(authEndpoints.revokeSession), /missing path parameter id/);
  });
});
