/** PKCE (RFC 7636, S256) for binding an email verification link to the browser that registered. */

/** A PKCE pair (RFC 7636, S256) from {@link createCodeVerifier}. */
export interface CodeVerifierPair {
  /** Keep this (e.g. in an httpOnly cookie) and pass it to {@link AuthClient.verifyEmail}. */
  verifier: string;
  /** Send this as `codeChallenge` to {@link AuthClient.register}. */
  challenge: string;
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The `codeChallenge` of a verifier: base64url (no padding) SHA-256 of its ASCII bytes (RFC 7636
 * S256). Uses Web Crypto, so it runs in browsers and in Node.
 *
 * @example
 * ```ts
 * const challenge = await codeChallengeOf(verifier);
 * ```
 */
export async function codeChallengeOf(verifier: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/**
 * A fresh PKCE pair for binding a sign-up to this browser: 256 random bits as a base64url
 * `verifier` (43 characters) and its S256 `challenge`. Send the challenge with
 * {@link AuthClient.register}, keep the verifier where only this browser has it, and pass it to
 * {@link AuthClient.verifyEmail}: only then does verifying sign in.
 *
 * @example
 * ```ts
 * const { verifier, challenge } = await createCodeVerifier();
 * await auth.register({ name, email, password, codeChallenge: challenge });
 * // later, in the same browser, with the token from the mailed link:
 * const answer = await auth.verifyEmail(token, { codeVerifier: verifier });
 * ```
 */
export async function createCodeVerifier(): Promise<CodeVerifierPair> {
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  const verifier = base64url(bytes);
  return { verifier, challenge: await codeChallengeOf(verifier) };
}
