/**
 * Mail content at rest: the text, HTML and links of a queued mail are sealed together (see
 * crypto/sealing.ts: AES-256-GCM under an HKDF key of `JWT_SECRET_KEY` with its own info label, so
 * it is independent of the JWT, signing-key and refresh-chain keys). The additional data binds a
 * ciphertext to its outbox row and recipient: a sealed body copied to another row or re-addressed
 * does not open.
 */
import { seal, sealingKey, unseal } from '../crypto/sealing.js';

export interface SealedFields {
  text: string;
  html: string;
  links: string[];
}

const INFO = 'auth-server/mail-outbox/v1';

/** The 256-bit outbox key for this JWT secret (derived once per secret). */
export function mailContentKey(secret: string): Buffer {
  return sealingKey(secret, INFO);
}

const aad = (id: string, to: string) => `mail_outbox:v1:${id}:${to}`;

export function sealMail(key: Buffer, id: string, to: string, fields: SealedFields): string {
  const plaintext = JSON.stringify({ text: fields.text, html: fields.html, links: fields.links });
  return seal(key, aad(id, to), Buffer.from(plaintext, 'utf8'));
}

/** Opens a sealed body; throws when the key, the row, the recipient or the bytes do not match. */
export function openMail(key: Buffer, id: string, to: string, sealed: string): SealedFields {
  const fields = JSON.parse(unseal(key, aad(id, to), sealed).toString('utf8')) as SealedFields;
  return { text: fields.text, html: fields.html, links: fields.links };
}
