/**
 * Email addresses are stored and matched in one normal form: trimmed, Unicode NFC, lowercased
 * (full Unicode case mapping, so "ÅSA@Example.com" and "åsa@example.com" are one account).
 */
export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase();
}

// The email format is shared with every other service through the contract.
export { isEmail } from '@emotion-app/protocol';
