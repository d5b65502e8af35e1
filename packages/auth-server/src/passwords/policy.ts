/**
 * Password policy (DESIGN §3, issue 3; OWASP ASVS 5.0 §6.2, NIST SP 800-63B §3.1.1.2).
 *
 * - Length 8 to 128, counted in Unicode code points (an emoji is one character). The password is
 *   never truncated: a 129-character password is refused, not cut to 128.
 * - No composition rules (no "one digit, one symbol").
 * - Refuses the ~49,000 most common passwords of `@zxcvbn-ts/language-common`, compared
 *   case-insensitively ("Password1" is as weak as "password1").
 * - Refuses passwords equal to or containing the local part of the user's email address (and, for
 *   plus-addressed mail, the part before the `+`), case-insensitively, when it is 3 characters or
 *   longer.
 *
 * The policy only judges; it never changes the password that is hashed.
 */
import { createRequire } from 'node:module';

/** Minimum password length in Unicode code points. */
export const MIN_PASSWORD_LENGTH = 8;
/** Maximum password length in Unicode code points. Longer passwords are refused, never truncated. */
export const MAX_PASSWORD_LENGTH = 128;
/** Email local parts shorter than this are not checked (too many false positives). */
const MIN_LOCAL_PART_LENGTH = 3;

/** Which rule a password broke, and a sentence for the end user that says so. */
export interface PolicyViolation {
  rule: 'too_short' | 'too_long' | 'common' | 'contains_email';
  message: string;
}

let commonPasswords: Set<string> | undefined;

/**
 * The common-password list, loaded once on first use (the package is CommonJS; loading it
 * synchronously keeps {@link checkPasswordPolicy} synchronous). Entries are lower case.
 */
function getCommonPasswords(): Set<string> {
  if (!commonPasswords) {
    const require = createRequire(import.meta.url);
    const { dictionary } = require('@zxcvbn-ts/language-common') as {
      dictionary: { 'passwords-common': string[] };
    };
    commonPasswords = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  }
  return commonPasswords;
}

/** Number of entries in the common-password list (loads it). Useful for docs and tests. */
export function commonPasswordCount(): number {
  return getCommonPasswords().size;
}

/** The email local parts a password must not contain: `Jane.Doe+x@a.b` gives `jane.doe+x` and `jane.doe`. */
function localParts(email: string): string[] {
  const at = email.lastIndexOf('@');
  const local = (at === -1 ? email : email.slice(0, at)).trim().toLowerCase();
  const parts = [local];
  const plus = local.indexOf('+');
  if (plus > 0) parts.push(local.slice(0, plus));
  return parts.filter((p) => [...p].length >= MIN_LOCAL_PART_LENGTH);
}

/**
 * Checks a new password against the policy. Returns the first rule it breaks, or `null` when it
 * is acceptable. Rules are checked in the order too_short, too_long, common, contains_email.
 *
 * @param password the password exactly as the user typed it (not trimmed, not normalized)
 * @param email the account's email, to refuse passwords built from its local part
 *
 * @example
 * ```ts
 * const violation = checkPasswordPolicy(body.password, body.email);
 * if (violation) throw validationError('password', violation.message);
 * ```
 */
export function checkPasswordPolicy(password: string, email?: string): PolicyViolation | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    return {
      rule: 'too_short',
      message: `Your password is too short: use at least ${MIN_PASSWORD_LENGTH} characters.`,
    };
  }
  if (length > MAX_PASSWORD_LENGTH) {
    return {
      rule: 'too_long',
      message: `Your password is too long: use at most ${MAX_PASSWORD_LENGTH} characters.`,
    };
  }
  const lower = password.toLowerCase();
  if (getCommonPasswords().has(lower)) {
    return {
      rule: 'common',
      message:
        'This password is one of the most commonly used passwords and is easy to guess. Please choose another.',
    };
  }
  if (email && localParts(email).some((part) => lower.includes(part))) {
    return {
      rule: 'contains_email',
      message: 'Your password must not contain your email address or its first part. Please choose another.',
    };
  }
  return null;
}
