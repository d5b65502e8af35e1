/**
 * The `/auth/*` routes that only pass a call on to auth-server: method, schemas, success status
 * and who may call come from protocol's endpoint table; each entry here adds a summary and the
 * `AuthClient` call. The answer (or auth-server's problem) goes back unchanged.
 */
import type { AuthClient, RequestOptions } from '@emotion-app/auth-client';
import {
  type AuthEndpoints,
  authEndpoints,
  type Endpoint,
  type EndpointBody,
  type EndpointParams,
  type EndpointResponse,
} from '@emotion-app/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { ProblemResponses, secured } from '../http/schemas.js';
import { accessTokenOf, forwardClient, proxyPath } from './auth-proxy.forward.js';

/** What a pass-through call gets: the validated request and, on `bearer` routes, the access token. */
interface Input<E extends Endpoint> {
  body: EndpointBody<E>;
  params: EndpointParams<E>;
  accessToken: string;
}

interface PassThrough<E extends Endpoint> {
  summary: string;
  call(auth: AuthClient, input: Input<E>, opts: RequestOptions): Promise<EndpointResponse<E> | undefined>;
}

const PASS_THROUGH = {
  resendVerification: {
    summary: 'Mail a new verification link',
    call: (auth, { body }, opts) => auth.resendVerification(body.email, opts),
  },
  forgotPassword: {
    summary: 'Mail a password-reset link',
    call: (auth, { body }, opts) => auth.forgotPassword(body.email, opts),
  },
  resetPassword: {
    summary: 'Set a new password with the mailed token (signs out every session)',
    call: async (auth, { body }, opts) => {
      await auth.resetPassword(body.token, body.password, opts);
      return undefined;
    },
  },
  updateUser: {
    summary: 'Change the display name',
    call: async (auth, { body, accessToken }, opts) => ({
      user: await auth.updateUser(accessToken, body, opts),
    }),
  },
  changePassword: {
    summary: "Change the password (signs out the user's other sessions)",
    call: async (auth, { body, accessToken }, opts) => {
      await auth.changePassword(accessToken, body, opts);
      return undefined;
    },
  },
  listSessions: {
    summary: "The user's sessions",
    call: async (auth, { accessToken }, opts) => ({ sessions: await auth.listSessions(accessToken, opts) }),
  },
  revokeSession: {
    summary: 'Revoke one session (it can no longer refresh)',
    call: async (auth, { params, accessToken }, opts) => {
      await auth.revokeSession(accessToken, params.id, opts);
      return undefined;
    },
  },
} satisfies { [K in keyof AuthEndpoints]?: PassThrough<AuthEndpoints[K]> };

/**
 * Registers every pass-through route. Routes open to anyone (`auth: 'none'`) need no CSRF token,
 * as there is no session yet; `bearer` routes verify the access token first (Bearer, else the
 * cookie, whose state-changing requests the CSRF guard has checked).
 */
export function registerPassThroughRoutes(app: FastifyInstance, ctx: AppContext): void {
  for (const [name, spec] of Object.entries(PASS_THROUGH)) {
    const endpoint: Endpoint = authEndpoints[name as keyof typeof PASS_THROUGH];
    const call = spec.call as PassThrough<Endpoint>['call'];
    const bearer = endpoint.auth === 'bearer';
    app.route({
      method: endpoint.method,
      url: proxyPath(endpoint),
      config: bearer ? {} : { csrf: false },
      ...(bearer ? { preHandler: ctx.requireAuth } : {}),
      schema: {
        tags: ['auth'],
        summary: spec.summary,
        ...(bearer ? secured : {}),
        ...(endpoint.body ? { body: endpoint.body } : {}),
        ...(endpoint.params ? { params: endpoint.params } : {}),
        response: { [endpoint.status]: endpoint.response, ...ProblemResponses },
      },
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const input = {
          body: request.body,
          params: request.params,
          accessToken: bearer ? accessTokenOf(request, ctx.cookies) : '',
        } as Input<Endpoint>;
        const answer = await call(ctx.auth, input, forwardClient(request));
        return reply.code(endpoint.status).send(endpoint.status === 204 ? null : answer);
      },
    });
  }
}
