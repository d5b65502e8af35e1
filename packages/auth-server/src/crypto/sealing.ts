/**
 * Secrets at rest (mail bodies, private signing keys): AES-256-GCM under a key derived from
 * `JWT_SECRET_KEY` by HKDF-SHA256, one `info` label per purpose so every purpose has its own,
 * independent key. The additional data binds a ciphertext to the row it belongs to: a sealed value
 * copied to another row does not open.
 *
 * Envelope (one text column): `v1.<iv>.<tag>.<ciphertext>`, each part base64url; 96-bit random IV.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const keys = new Map<string, Buffer>();

/**
 * The 256-bit sealing key of one purpose: HKDF-SHA256(secret, salt = empty, info), derived once per
 * secret and label.
 *
 * @example
 * ```ts
 * const key = sealingKey(config.jwt.secret, 'auth-server/signing-keys/v1');
 * ```
 */
export function sealingKey(secret: string, info: string): Buffer {
  const id = `${info}\u0000${secret}`;
  let key = keys.get(id);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), info, 32));
    keys.set(id, key);
  }
  return key;
}

/** Seals `plaintext` under `key`, bound to `aad` (e.g. the table and row id). */
export function seal(key: Buffer, aad: string, plaintext: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** Opens a sealed value; throws when the key, the additional data or the bytes do not match. */
export function unseal(key: Buffer, aad: string, sealed: string): Buffer {
  const [version, iv, tag, ciphertext, ...rest] = sealed.split('.');
  if (
    version !== VERSION ||
    iv === undefined ||
    tag === undefined ||
    ciphertext === undefined ||
    rest.length
  ) {
    throw new Error('unknown sealed value format');
  }
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
}
