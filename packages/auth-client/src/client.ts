/**
 * `AuthClient`: typed calls to every auth-server endpoint (DESIGN §3). Runs in Node and in
 * browsers; request and response types come from the contract shared with auth-server.
 */
import {
  authEndpoints as api,
  type ChangePasswordBody,
  DEVICE_TOKEN_HEADER,
  type Endpoint,
  type EndpointResponse,
  type IntrospectResponse,
  type LoginBody,
  type LogoutBody,
  type RegisterBody,
  type Session,
  type SessionInfo,
  type StatusMessage,
  type UpdateUserBody,
  type User,
  type VerifyBody,
  type VerifyResponse,
} from '@emotion-app/protocol';
import type { AuthClientOptions, LoginSession, LogoutOptions, VerifyEmailOptions } from './client-options.js';
import { type Call, type RequestOptions, send, type Transport } from './http.js';

export type { AuthClientOptions, LoginSession, LogoutOptions, VerifyEmailOptions } from './client-options.js';
export type { RequestOptions } from './http.js';

/**
 * Typed client of auth-server. Every method rejects with an {@link AuthError}: the server's
 * problem+json `code` (e.g. `invalid_credentials`) for a non-2xx answer, and status 503 code
 * `auth_unavailable` when the server cannot be reached or does not answer within `timeoutMs`.
 * The last argument of every method, `opts`, adds headers or an `AbortSignal` to that call.
 *
 * @example
 * ```ts
 * import { AuthClient, AuthError } from '@emotion-app/auth-client';
 *
 * const auth = new AuthClient({ baseUrl: 'http://localhost:8000', timeoutMs: 5000 });
 * const session = await auth.login({ email: 'ada@example.com', password: 'correct horse battery' });
 * const me = await auth.getUser(session.accessToken);
 * ```
 */
export class AuthClient {
  readonly #transport: Transport;

  constructor(options: AuthClientOptions) {
    if (!options || typeof options.baseUrl !== 'string' || options.baseUrl === '') {
      throw new TypeError('AuthClient: baseUrl is required');
    }
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== 'function') throw new TypeError('AuthClient: no fetch implementation available');
    this.#transport = {
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      // bound so that a browser's window.fetch is not called with the client as `this`
      fetch: (input, init) => fetchImpl(input, init),
      timeoutMs: options.timeoutMs ?? 10_000,
      headers: { ...options.headers },
    };
  }

  #send<E extends Endpoint>(call: Call<E>, opts: RequestOptions | undefined): Promise<EndpointResponse<E>> {
    return send(this.#transport, call, opts);
  }

  /**
   * Creates an account and sends the verification mail. The answer is the same for an email
   * that is already registered (no account enumeration). Registering an address that is not
   * verified yet replaces its name and password, and only the newest mailed link then works.
   * With `codeChallenge` (see {@link createCodeVerifier}) verifying signs in only with the
   * matching verifier.
   *
   * @example
   * ```ts
   * const { verifier, challenge } = await createCodeVerifier();
   * const { message } = await auth.register({
   *   name: 'Ada', email: 'ada@example.com', password: 'correct horse battery', codeChallenge: challenge,
   * });
   * ```
   */
  register(body: RegisterBody, opts?: RequestOptions): Promise<StatusMessage> {
    return this.#send({ endpoint: api.register, body }, opts);
  }

  /**
   * Completes email verification with the token from the mail's link; the password of the
   * registration that sent the link becomes the account's. Resolves to a session (token pair and
   * user) when that registration sent no `codeChallenge` or `opts.codeVerifier` matches it, and
   * to `{ user }` only otherwise: the email is verified, and the user signs in with the password.
   * A used, unknown or expired token, or one of an already verified account, rejects with
   * `invalid_or_expired_token`.
   *
   * @example
   * ```ts
   * const token = new URL(link).searchParams.get('token')!;
   * const answer = await auth.verifyEmail(token, { codeVerifier: verifier });
   * if ('accessToken' in answer) saveTokens(answer.accessToken, answer.refreshToken);
   * else showSignIn(answer.user.email); // verified in another browser
   * ```
   */
  verifyEmail(token: string, opts?: VerifyEmailOptions): Promise<VerifyResponse> {
    const { codeVerifier, ...requestOptions } = opts ?? {};
    const body: VerifyBody = codeVerifier === undefined ? { token } : { token, codeVerifier };
    return this.#send({ endpoint: api.verifyEmail, body }, requestOptions);
  }

  /**
   * Signs in with email and password. Rejects with `invalid_credentials` (unknown email or wrong
   * password alike), `email_not_verified` (403) or `rate_limited` (429, see `retryAfterSec`).
   * Pass back the `deviceToken` of an earlier session so throttling spares this device.
   *
   * @example
   * ```ts
   * const session = await auth.login({ email, password, deviceToken: saved.deviceToken });
   * saveTokens(session.accessToken, session.refreshToken);
   * ```
   */
  async login(body: LoginBody, opts?: RequestOptions): Promise<LoginSession> {
    let deviceToken: string | null = null;
    const session = await this.#send(
      {
        endpoint: api.login,
        body,
        onHeaders: (headers) => {
          deviceToken = headers.get(DEVICE_TOKEN_HEADER);
        },
      },
      opts,
    );
    return deviceToken ? { ...session, deviceToken } : session;
  }

  /**
   * Exchanges a refresh token for a new token pair; the old refresh token is rotated out.
   * Replaying an older one rejects with `refresh_token_reused` and revokes the session.
   *
   * @example
   * ```ts
   * const next = await auth.refreshToken(session.refreshToken);
   * ```
   */
  refreshToken(refreshToken: string, opts?: RequestOptions): Promise<Session> {
    return this.#send({ endpoint: api.refresh, body: { refreshToken } }, opts);
  }

  /**
   * Revokes the session of `refreshToken` (or of `options.accessToken`), or with `scope`
   * `global` every session of the user, or `others` all but this one.
   *
   * @example
   * ```ts
   * await auth.logout(session.refreshToken);
   * await auth.logout(undefined, { accessToken: session.accessToken, scope: 'global' });
   * ```
   */
  async logout(refreshToken?: string, options: LogoutOptions = {}, opts?: RequestOptions): Promise<void> {
    const body: LogoutBody = {};
    if (refreshToken !== undefined) body.refreshToken = refreshToken;
    if (options.scope !== undefined) body.scope = options.scope;
    await this.#send({ endpoint: api.logout, body, accessToken: options.accessToken }, opts);
  }

  /**
   * Asks auth-server whether an access token is active: valid signature, not expired, and its
   * session still live (unlike the local verifier, this sees revoked sessions). Introspection is
   * for services (RFC 7662 §2.1): `serviceKey` is auth-server's `SERVICE_KEY`, sent as
   * `Authorization: Bearer <serviceKey>`; a missing or wrong one rejects with 401 `invalid_token`.
   *
   * @example
   * ```ts
   * const { active, sub, role } = await auth.validateToken(accessToken, process.env.AUTH_SERVICE_KEY!);
   * if (!active) return signOut();
   * ```
   */
  validateToken(accessToken: string, serviceKey: string, opts?: RequestOptions): Promise<IntrospectResponse> {
    return this.#send(
      { endpoint: api.introspect, body: { token: accessToken }, accessToken: serviceKey },
      opts,
    );
  }

  /**
   * The user the access token belongs to.
   *
   * @example
   * ```ts
   * const user = await auth.getUser(accessToken); // { id, email, name, role, emailVerified, ... }
   * ```
   */
  async getUser(accessToken: string, opts?: RequestOptions): Promise<User> {
    const res = await this.#send({ endpoint: api.getUser, accessToken }, opts);
    return res.user;
  }

  /**
   * Changes the user's profile and returns the updated user.
   *
   * @example
   * ```ts
   * const user = await auth.updateUser(accessToken, { name: 'Ada Lovelace' });
   * ```
   */
  async updateUser(accessToken: string, body: UpdateUserBody, opts?: RequestOptions): Promise<User> {
    const res = await this.#send({ endpoint: api.updateUser, body, accessToken }, opts);
    return res.user;
  }

  /**
   * Changes the password; the user's other sessions are revoked. A wrong current password rejects
   * with `invalid_credentials`, a weak new one with `weak_password` or `validation_failed`.
   *
   * @example
   * ```ts
   * await auth.changePassword(accessToken, { currentPassword: old, newPassword: next });
   * ```
   */
  async changePassword(accessToken: string, body: ChangePasswordBody, opts?: RequestOptions): Promise<void> {
    await this.#send({ endpoint: api.changePassword, body, accessToken }, opts);
  }

  /**
   * Sends a password-reset mail (1 h single-use link). Resolves to the same `{ status, message }`
   * whether or not the email exists.
   *
   * @example
   * ```ts
   * const { message } = await auth.forgotPassword('ada@example.com');
   * ```
   */
  forgotPassword(email: string, opts?: RequestOptions): Promise<StatusMessage> {
    return this.#send({ endpoint: api.forgotPassword, body: { email } }, opts);
  }

  /**
   * Sets a new password with the token from the reset mail; every session of the user is
   * revoked. A used, unknown or expired token rejects with `invalid_or_expired_token`.
   *
   * @example
   * ```ts
   * await auth.resetPassword(tokenFromLink, 'a new long passphrase');
   * ```
   */
  async resetPassword(token: string, password: string, opts?: RequestOptions): Promise<void> {
    await this.#send({ endpoint: api.resetPassword, body: { token, password } }, opts);
  }

  /**
   * Sends the verification mail again. Resolves to the same `{ status, message }` whether or not
   * the email exists.
   *
   * @example
   * ```ts
   * await auth.resendVerification('ada@example.com');
   * ```
   */
  resendVerification(email: string, opts?: RequestOptions): Promise<StatusMessage> {
    return this.#send({ endpoint: api.resendVerification, body: { email } }, opts);
  }

  /**
   * The user's live sessions; `current` marks the one of this access token.
   *
   * @example
   * ```ts
   * const sessions = await auth.listSessions(accessToken);
   * const others = sessions.filter((s) => !s.current);
   * ```
   */
  async listSessions(accessToken: string, opts?: RequestOptions): Promise<SessionInfo[]> {
    const res = await this.#send({ endpoint: api.listSessions, accessToken }, opts);
    return res.sessions;
  }

  /**
   * Revokes one of the user's sessions by id; it can no longer refresh.
   *
   * @example
   * ```ts
   * await auth.revokeSession(accessToken, sessions[1].id);
   * ```
   */
  async revokeSession(accessToken: string, sessionId: string, opts?: RequestOptions): Promise<void> {
    await this.#send({ endpoint: api.revokeSession, params: { id: sessionId }, accessToken }, opts);
  }
}
