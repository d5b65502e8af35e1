/**
 * Issue 12 (DESIGN §7).
 *
 * - `signing_keys`: the key ring of the asymmetric modes. `kid` is the RFC 7638 thumbprint of the
 *   public JWK; the private key is PKCS#8 DER sealed with AES-256-GCM under an HKDF key of
 *   JWT_SECRET_KEY (keys/sealing.ts). A key's status is derived from `activates_at`, never stored,
 *   so every instance agrees from the rows alone (keys/ring.ts).
 * - `revocation_events`: what local verifiers must honour (the feed), written by the statement or
 *   transaction that revokes; `revocation_feed_state.purged_through` is the highest id purged, so
 *   an older cursor answers 410 `cursor_expired`.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`CREATE TABLE signing_keys (
      kid text PRIMARY KEY,
      alg text NOT NULL CHECK (alg IN ('ES256', 'RS256', 'EdDSA')),
      public_jwk text NOT NULL,
      sealed_private text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      activates_at timestamptz NOT NULL
    )`,
    sql`CREATE INDEX signing_keys_activates_at_idx ON signing_keys (activates_at)`,
    sql`CREATE TABLE revocation_events (
      id bigserial PRIMARY KEY,
      type text NOT NULL CHECK (type IN ('session_revoked', 'user_tokens_revoked', 'user_deleted')),
      sid uuid,
      sub uuid,
      not_before bigint,
      at timestamptz NOT NULL DEFAULT now()
    )`,
    sql`CREATE INDEX revocation_events_at_idx ON revocation_events (at)`,
    sql`CREATE TABLE revocation_feed_state (
      id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
      purged_through bigint NOT NULL DEFAULT 0
    )`,
    sql`INSERT INTO revocation_feed_state (id, purged_through) VALUES (1, 0)`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['revocation_feed_state', 'revocation_events', 'signing_keys']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
