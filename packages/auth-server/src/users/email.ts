/**
 * Email addresses are stored and matched in one normal form: trimmed, Unicode NFC, lowercased
 * (full Unicode case mapping, so "ÅSA@Example.com" and "åsa@example.com" are one account).
 */
export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase();
}

// A pragmatic RFC 6531 shape check: one "@", no whitespace, control or quoting characters,
// a dotted domain of non-empty labels. Unicode letters are allowed on both sides.
const EMAIL_RE =
  /^[^\s@"(),:;<>[\]\\\p{Cc}]{1,64}@(?=.{1,253}$)[^\s@"(),:;<>[\]\\.\p{Cc}_]+(\.[^\s@"(),:;<>[\]\\.\p{Cc}_]+)+$/u;

export function isEmail(value: string): boolean {
  return EMAIL_RE.test(value) && !value.startsWith('.') && !value.includes('..') && !value.includes('.@');
}
