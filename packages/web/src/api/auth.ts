import { request } from './http.js';
import type {
  ApiSession,
  ApiVerifyResponse,
  CurrentUser,
  LogoutScope,
  MeResponse,
  SessionInfo,
  SessionsResponse,
  StatusMessage,
  User,
  UserResponse,
} from './types.js';

const pub = { authenticated: false } as const;

/** What the page uses of a session answer (login, verify): the cookies carry the tokens. */
export type SignInResult = Pick<ApiSession, 'user' | 'expiresAt' | 'expiresIn'>;

export function register(body: { name: string; email: string; password: string; passwordConfirm?: string }) {
  return request<StatusMessage>('POST', '/auth/register', { ...pub, json: body });
}

export function login(body: { email: string; password: string }) {
  return request<SignInResult>('POST', '/auth/login', { ...pub, json: body });
}

/**
 * `POST /auth/verify`'s answer. The link signs the user in (cookies set, `signedIn: true`) only in
 * the browser that registered (emotion-api's `signup_verifier` cookie from `/auth/register`);
 * opened anywhere else it only confirms the address (`signedIn: false`, no cookies), so whoever
 * registered someone else's address first cannot end up in the owner's session.
 */
export type VerifyResult = ApiVerifyResponse;

export function verifyEmail(token: string) {
  return request<VerifyResult>('POST', '/auth/verify', { ...pub, json: { token } });
}

export function resendVerification(email: string) {
  return request<void>('POST', '/auth/resend-verification', { ...pub, json: { email } });
}

export function forgotPassword(email: string) {
  return request<void>('POST', '/auth/forgot-password', { ...pub, json: { email } });
}

export function resetPassword(token: string, password: string) {
  return request<void>('POST', '/auth/reset-password', { ...pub, json: { token, password } });
}

export function logout(scope: LogoutScope = 'local') {
  return request<void>('POST', '/auth/logout', { ...pub, json: { scope } });
}

/** The signed-in user; throws ApiError 401 when there is no session. */
export async function me(): Promise<CurrentUser> {
  const result = await request<MeResponse>('GET', '/auth/me', pub);
  return result.user;
}

export async function updateName(name: string): Promise<User> {
  const result = await request<UserResponse>('PATCH', '/auth/me', { json: { name } });
  return result.user;
}

export function changePassword(currentPassword: string, newPassword: string) {
  return request<void>('POST', '/auth/password', { json: { currentPassword, newPassword } });
}

export async function listSessions(): Promise<SessionInfo[]> {
  const result = await request<SessionsResponse>('GET', '/auth/sessions');
  return result.sessions;
}

export function revokeSession(id: string) {
  return request<void>('DELETE', `/auth/sessions/${encodeURIComponent(id)}`);
}
