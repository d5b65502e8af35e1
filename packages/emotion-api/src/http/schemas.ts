/** Schemas every route module shares: the problem+json body and the OpenAPI security of protected routes. */
import { Type } from '@sinclair/typebox';

/** application/problem+json body of every error. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'stable machine-readable error code' }),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { additionalProperties: true },
);

export const ProblemResponses = { '4xx': Problem, '5xx': Problem } as const;

const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }];
/** OpenAPI security of protected routes: a Bearer token or the access-token cookie. */
export const secured = { security };
