/** Response schema fragments shared by every route (problem+json for errors). */
import { Problem } from '@emotion-app/auth-client/contract';
import { Type } from '@sinclair/typebox';

export const errorResponses = {
  '4xx': Problem,
  '5xx': Problem,
} as const;

export const NoContent = Type.Null({ description: 'No content' });

export const bearerSecurity = [{ bearerAuth: [] }];
