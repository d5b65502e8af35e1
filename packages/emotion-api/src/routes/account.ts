import {
  ChangePasswordBody,
  SessionsResponse,
  UpdateUserBody,
  User,
} from '@emotion-app/auth-client/contract';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { toAppError } from '../http/problem.js';
import { accessTokenOf as tokenOf, forwardClient } from './auth-forward.js';
import { ProblemResponses, secured as securedBase } from '../http/schemas.js';

const TokenUser = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: Type.String(),
  name: Type.Optional(Type.String()),
  emailVerified: Type.Optional(Type.Boolean()),
  createdAt: Type.Optional(Type.String()),
  updatedAt: Type.Optional(Type.String()),
});

const tags = ['auth'];

/** The signed-in user's account through auth-server: profile, password and sessions (DESIGN §4). */
export async function accountRoutes(instance: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { auth, cookies } = ctx;
  const accessTokenOf = (request: FastifyRequest) => tokenOf(request, cookies);

  const secured = { tags, ...securedBase };

  app.get(
    '/auth/me',
    {
      preHandler: ctx.requireAuth,
      schema: {
        ...secured,
        summary: 'The signed-in user (from auth-server; from the verified token when it is unreachable)',
        response: { 200: Type.Object({ user: TokenUser }), ...ProblemResponses },
      },
    },
    async (request) => {
      try {
        return { user: await auth.getUser(accessTokenOf(request), forwardClient(request)) };
      } catch (err) {
        const appError = toAppError(err);
        if (appError?.code !== 'auth_unavailable') throw err;
        const user = request.user;
        return { user: { id: user.id, email: user.email, role: user.role } };
      }
    },
  );

  app.patch(
    '/auth/me',
    {
      preHandler: ctx.requireAuth,
      schema: {
        ...secured,
        summary: 'Change the display name',
        body: UpdateUserBody,
        response: { 200: Type.Object({ user: User }), ...ProblemResponses },
      },
    },
    async (request) => ({
      user: await auth.updateUser(accessTokenOf(request), request.body, forwardClient(request)),
    }),
  );

  app.post(
    '/auth/password',
    {
      preHandler: ctx.requireAuth,
      schema: {
        ...secured,
        summary: "Change the password (signs out the user's other sessions)",
        body: ChangePasswordBody,
        response: { 204: Type.Null(), ...ProblemResponses },
      },
    },
    async (request, reply) => {
      await auth.changePassword(accessTokenOf(request), request.body, forwardClient(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/auth/sessions',
    {
      preHandler: ctx.requireAuth,
      schema: {
        ...secured,
        summary: "The user's sessions",
        response: { 200: SessionsResponse, ...ProblemResponses },
      },
    },
    async (request) => ({
      sessions: await auth.listSessions(accessTokenOf(request), forwardClient(request)),
    }),
  );

  app.delete(
    '/auth/sessions/:id',
    {
      preHandler: ctx.requireAuth,
      schema: {
        ...secured,
        summary: 'Revoke one session (it can no longer refresh)',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 204: Type.Null(), ...ProblemResponses },
      },
    },
    async (request, reply) => {
      await auth.revokeSession(accessTokenOf(request), request.params.id, forwardClient(request));
      return reply.code(204).send(null);
    },
  );
}
