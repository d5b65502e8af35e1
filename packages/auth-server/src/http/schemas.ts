/** Response schema fragments shared by every route (problem+json for errors). */
import { HealthResponse, Problem } from '@emotion-app/protocol';
import { Type } from '@sinclair/typebox';

export const errorResponses = {
  '4xx': Problem,
  '5xx': Problem,
} as const;

/**
 * GET /api/health as auth-server answers it: protocol's `{ status, db }` plus `redis` when
 * REDIS_URL is set (DESIGN §8: `"ok"`, or `"down"` while rate limiting runs from memory).
 */
export const AuthHealthResponse = Type.Composite([
  HealthResponse,
  Type.Object({ redis: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('down')])) }),
]);
