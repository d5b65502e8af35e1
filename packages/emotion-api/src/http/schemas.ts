/** Schemas every route module shares: problem+json for errors, and the OpenAPI security of protected routes. */
import { Problem } from '@emotion-app/protocol';

/** application/problem+json body of every 4xx and 5xx. */
export const ProblemResponses = { '4xx': Problem, '5xx': Problem } as const;

const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }];
/** OpenAPI security of protected routes: a Bearer token or the access-token cookie. */
export const secured = { security };
