/**
 * Mail content at rest: the text, HTML and links of a queued mail are sealed together with
 * AES-256-GCM under a key derived from `JWT_SECRET_KEY` by HKDF (its own info label, so it is
 * independent of the JWT and refresh-chain keys). The additional data binds a ciphertext to its
 * outbox row and recipient: a sealed body copied to another row or re-addressed does not open.
 *
 * Envelope (one text column): `v1.<iv>.<tag>.<ciphertext>`, each part base64url; 96-bit random IV.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export interface SealedFields {
  text: string;
  html: string;
  links: string[];
}

const VERSION = 'v1';
const INFO = 'auth-server/mail-outbox/v1';
const keys = new Map<string, Buffer>();

/** The 256-bit outbox key for this JWT secret (derived once per secret). */
export function mailContentKey(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), INFO, 32));
    keys.set(secret, key);
  }
  return key;
}

const aad = (id: string, to: string) => Buffer.from(`mail_outbox:${VERSION}:${id}:${to}`, 'utf8');

export function sealMail(key: Buffer, id: string, to: string, fields: SealedFields): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(id, to));
  const plaintext = Buffer.from(
    JSON.stringify({ text: fields.text, html: fields.html, links: fields.links }),
    'utf8',
  );
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** Opens a sealed body; throws when the key, the row, the recipient or the bytes do not match. */
export function openMail(key: Buffer, id: string, to: string, sealed: string): SealedFields {
  const [version, iv, tag, ciphertext, ...rest] = sealed.split('.');
  if (
    version !== VERSION ||
    iv === undefined ||
    tag === undefined ||
    ciphertext === undefined ||
    rest.length
  ) {
    throw new Error('unknown sealed mail format');
  }
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
  decipher.setAAD(aad(id, to));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
  const fields = JSON.parse(plaintext.toString('utf8')) as SealedFields;
  return { text: fields.text, html: fields.html, links: fields.links };
}
