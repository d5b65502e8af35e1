/**
 * Registers auth-server's routes from protocol's endpoint table: path, method, schemas, status
 * and OpenAPI security come from the table, the handler from the service, keyed by name.
 */
import {
  type AuthEndpointName,
  type AuthEndpoints,
  authEndpoints,
  type Endpoint,
  type EndpointBody,
  type EndpointParams,
  type EndpointQuery,
  type EndpointResponse,
} from '@emotion-app/protocol';
import { KindGuard } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { errorResponses } from './schemas.js';

/** The request of an endpoint, typed from its schemas. */
export type EndpointRequest<E extends Endpoint> = FastifyRequest<{
  Body: EndpointBody<E>;
  Querystring: EndpointQuery<E>;
  Params: EndpointParams<E>;
}>;

/**
 * Answers one endpoint. The reply's status is the endpoint's success status already (a handler
 * may change it); a 204 handler resolves to `null`.
 */
export type EndpointHandler<E extends Endpoint> = (
  request: EndpointRequest<E>,
  reply: FastifyReply,
) => Promise<EndpointResponse<E> | FastifyReply>;

/** One handler per endpoint of the table. */
export type AuthHandlers = { [K in AuthEndpointName]: EndpointHandler<AuthEndpoints[K]> };

const SECURITY: Record<Endpoint['auth'], { security?: Record<string, string[]>[] }> = {
  none: {},
  'optional-bearer': {},
  bearer: { security: [{ bearerAuth: [] }] },
  'service-key': { security: [{ serviceKey: [] }] },
  'service-key-or-admin': { security: [{ serviceKey: [] }, { bearerAuth: [] }] },
};

function routeSchema(endpoint: Endpoint) {
  return {
    tags: [...endpoint.tags],
    ...(endpoint.description ? { description: endpoint.description } : {}),
    ...SECURITY[endpoint.auth],
    ...(endpoint.body ? { body: endpoint.body } : {}),
    ...(endpoint.query ? { querystring: endpoint.query } : {}),
    ...(endpoint.params ? { params: endpoint.params } : {}),
    response: {
      [endpoint.status]: endpoint.response,
      ...endpoint.otherResponses,
      ...errorResponses,
    },
  };
}

/**
 * Registers every endpoint of the table with its handler, except those in `skip` (e.g. the
 * development outbox in production).
 *
 * @example
 * ```ts
 * registerEndpoints(app, handlers, { skip: config.isProduction ? ['devOutbox'] : [] });
 * ```
 */
export function registerEndpoints(
  app: FastifyInstance,
  handlers: AuthHandlers,
  options: { skip?: readonly AuthEndpointName[] } = {},
): void {
  for (const name of Object.keys(authEndpoints) as AuthEndpointName[]) {
    if (options.skip?.includes(name)) continue;
    const endpoint: Endpoint = authEndpoints[name];
    const handler = handlers[name] as unknown as (request: FastifyRequest, reply: FastifyReply) => unknown;
    app.route({
      method: endpoint.method,
      url: endpoint.path,
      schema: routeSchema(endpoint),
      // An optional body (logout) may be absent: validate it as an empty object.
      ...(endpoint.body && KindGuard.IsOptional(endpoint.body)
        ? {
            preValidation: async (request: FastifyRequest) => {
              if (request.body === undefined || request.body === null) request.body = {};
            },
          }
        : {}),
      handler: (async (request, reply) => {
        reply.code(endpoint.status);
        return handler(request, reply);
      }) as RouteHandlerMethod,
    });
  }
}
