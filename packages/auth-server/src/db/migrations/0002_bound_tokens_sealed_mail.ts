/**
 * Issue 10, findings 1 and 3.
 *
 * - `one_time_tokens.password_hash`: the argon2 hash of the registration that sent a
 *   verification link; verifying sets it. `code_challenge`: the base64url SHA-256 of the
 *   registering browser's verifier (PKCE); verifying signs in only with the matching verifier.
 *   Both NULL for older tokens and for reset tokens.
 * - `mail_outbox`: bodies and links move into `sealed_content` (AES-256-GCM under a key derived
 *   from JWT_SECRET_KEY, see mail/sealing.ts) and are erased once delivered; `template` names the
 *   mail for the metadata that stays. The key is not available here, so this migration only
 *   erases what is already delivered or given up; pending rows keep their plaintext columns until
 *   the mail worker seals them when it starts (mail/outbox.ts `sealLegacyMail`).
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`ALTER TABLE one_time_tokens ADD COLUMN password_hash text`,
    sql`ALTER TABLE one_time_tokens ADD COLUMN code_challenge text`,
    sql`ALTER TABLE mail_outbox ADD COLUMN template text NOT NULL DEFAULT 'legacy'`,
    sql`ALTER TABLE mail_outbox ALTER COLUMN template DROP DEFAULT`,
    sql`ALTER TABLE mail_outbox ADD COLUMN sealed_content text`,
    sql`ALTER TABLE mail_outbox ALTER COLUMN text_body DROP NOT NULL`,
    sql`ALTER TABLE mail_outbox ALTER COLUMN html_body DROP NOT NULL`,
    sql`ALTER TABLE mail_outbox ALTER COLUMN links DROP NOT NULL`,
    sql`ALTER TABLE mail_outbox ALTER COLUMN links DROP DEFAULT`,
    sql`UPDATE mail_outbox SET text_body = NULL, html_body = NULL, links = NULL WHERE status <> 'pending'`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Sealed bodies cannot be decrypted here: rows without plaintext get empty bodies.
  const statements = [
    sql`UPDATE mail_outbox SET text_body = coalesce(text_body, ''), html_body = coalesce(html_body, ''),
      links = coalesce(links, '[]'::jsonb)`,
    sql`ALTER TABLE mail_outbox ALTER COLUMN links SET DEFAULT '[]'::jsonb`,
    sql`ALTER TABLE mail_outbox ALTER COLUMN links SET NOT NULL`,
    sql`ALTER TABLE mail_outbox ALTER COLUMN html_body SET NOT NULL`,
    sql`ALTER TABLE mail_outbox ALTER COLUMN text_body SET NOT NULL`,
    sql`ALTER TABLE mail_outbox DROP COLUMN sealed_content`,
    sql`ALTER TABLE mail_outbox DROP COLUMN template`,
    sql`ALTER TABLE one_time_tokens DROP COLUMN code_challenge`,
    sql`ALTER TABLE one_time_tokens DROP COLUMN password_hash`,
  ];
  for (const statement of statements) await statement.execute(db);
}
