import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      email text NOT NULL,
      name text NOT NULL,
      password_hash text NOT NULL,
      role text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
      email_verified_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
    sql`CREATE UNIQUE INDEX users_email_key ON users (email)`,
    sql`CREATE TABLE sessions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      user_agent text,
      ip text,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz,
      revoked_reason text
    )`,
    sql`CREATE INDEX sessions_user_id_idx ON sessions (user_id)`,
    sql`CREATE TABLE refresh_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
      token_hash text NOT NULL,
      parent_id uuid REFERENCES refresh_tokens (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      rotated_at timestamptz
    )`,
    sql`CREATE UNIQUE INDEX refresh_tokens_token_hash_key ON refresh_tokens (token_hash)`,
    sql`CREATE INDEX refresh_tokens_session_id_idx ON refresh_tokens (session_id)`,
    sql`CREATE UNIQUE INDEX refresh_tokens_parent_id_key ON refresh_tokens (parent_id)`,
    sql`CREATE TABLE one_time_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('verification', 'reset')),
      token_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    )`,
    sql`CREATE UNIQUE INDEX one_time_tokens_token_hash_key ON one_time_tokens (token_hash)`,
    sql`CREATE INDEX one_time_tokens_user_kind_idx ON one_time_tokens (user_id, kind)`,
    sql`CREATE TABLE mail_outbox (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      to_address text NOT NULL,
      subject text NOT NULL,
      text_body text NOT NULL,
      html_body text NOT NULL,
      links jsonb NOT NULL DEFAULT '[]'::jsonb,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz
    )`,
    sql`CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE status = 'pending'`,
    sql`CREATE INDEX mail_outbox_to_idx ON mail_outbox (to_address, created_at)`,
    sql`CREATE TABLE auth_events (
      id bigserial PRIMARY KEY,
      type text NOT NULL,
      user_id uuid REFERENCES users (id) ON DELETE SET NULL,
      email text,
      ip text,
      user_agent text,
      detail jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    sql`CREATE INDEX auth_events_user_idx ON auth_events (user_id, created_at)`,
    sql`CREATE INDEX auth_events_type_idx ON auth_events (type, created_at)`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'auth_events',
    'mail_outbox',
    'one_time_tokens',
    'refresh_tokens',
    'sessions',
    'users',
  ]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
