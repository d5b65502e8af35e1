/** Response schema fragments shared by every route (problem+json for errors). */
import { Problem } from '@emotion-app/protocol';

export const errorResponses = {
  '4xx': Problem,
  '5xx': Problem,
} as const;
