/** The tables of auth-server as Kysely sees them (one `Database` interface collects them). */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface UsersTable {
  id: Generated<string>;
  /** Normalized (NFC, lowercased) address; unique. */
  email: string;
  name: string;
  password_hash: string;
  role: ColumnType<'user' | 'admin', 'user' | 'admin' | undefined, 'user' | 'admin'>;
  email_verified_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionsTable {
  id: Generated<string>;
  user_id: string;
  user_agent: string | null;
  ip: string | null;
  created_at: Timestamp;
  last_used_at: Timestamp;
  revoked_at: NullableTimestamp;
  revoked_reason: string | null;
}

export interface RefreshTokensTable {
  id: Generated<string>;
  session_id: string;
  /** SHA-256 (hex) of the opaque token; the token itself is never stored. */
  token_hash: string;
  parent_id: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  rotated_at: NullableTimestamp;
}

export type OneTimeTokenKind = 'verification' | 'reset';

export interface OneTimeTokensTable {
  id: Generated<string>;
  user_id: string;
  kind: OneTimeTokenKind;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  /** Verification: the argon2 hash of the registration that sent the link; verifying sets it. */
  password_hash: ColumnType<string | null, string | null | undefined, string | null>;
  /** Verification: base64url SHA-256 of the registering browser's PKCE verifier, if it sent one. */
  code_challenge: ColumnType<string | null, string | null | undefined, string | null>;
}

export type MailStatus = 'pending' | 'sent' | 'failed';

/**
 * Queued mail. Bodies and links live only in `sealed_content` (AES-256-GCM, mail/sealing.ts),
 * erased (NULL) once delivered or given up; what stays is metadata. `text_body`, `html_body` and
 * `links` are the plaintext columns of rows queued before migration 0002: NULL for every new row.
 */
export interface MailOutboxTable {
  id: Generated<string>;
  to_address: string;
  subject: string;
  /** Which mail this is (templates.ts), e.g. `verification`; `legacy` for rows older than 0002. */
  template: string;
  sealed_content: ColumnType<string | null, string | null | undefined, string | null>;
  text_body: ColumnType<string | null, string | null | undefined, string | null>;
  html_body: ColumnType<string | null, string | null | undefined, string | null>;
  links: ColumnType<string[] | null, string | null | undefined, string | null>;
  status: ColumnType<MailStatus, MailStatus | undefined, MailStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
}

export interface AuthEventsTable {
  id: Generated<string>;
  type: string;
  user_id: string | null;
  email: string | null;
  ip: string | null;
  user_agent: string | null;
  detail: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  created_at: Timestamp;
}

/** A key of the ring (keys/): status derived from `activates_at` (DESIGN §7). */
export interface SigningKeysTable {
  /** RFC 7638 thumbprint of the public JWK. */
  kid: string;
  alg: 'ES256' | 'RS256' | 'EdDSA';
  /** The public JWK as JSON (kty and public members only). */
  public_jwk: string;
  /** PKCS#8 DER of the private key, sealed (crypto/sealing.ts, AAD `signing_keys:<kid>`). */
  sealed_private: string;
  created_at: Timestamp;
  activates_at: Timestamp;
}

export type RevocationEventType = 'session_revoked' | 'user_tokens_revoked' | 'user_deleted';

/** The revocation feed (revocations/); `id` orders the feed and is its cursor. */
export interface RevocationEventsTable {
  /** bigint, as a string (pg's int8). */
  id: Generated<string>;
  type: RevocationEventType;
  sid: string | null;
  sub: string | null;
  /** Unix seconds (int8 as a string when read). */
  not_before: ColumnType<string | null, number | null | undefined, number | null>;
  at: Timestamp;
}

export interface RevocationFeedStateTable {
  id: ColumnType<number, number | undefined, number>;
  /** Highest purged event id (int8 as a string when read). */
  purged_through: ColumnType<string, number | string | undefined, number | string>;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  one_time_tokens: OneTimeTokensTable;
  mail_outbox: MailOutboxTable;
  auth_events: AuthEventsTable;
  signing_keys: SigningKeysTable;
  revocation_events: RevocationEventsTable;
  revocation_feed_state: RevocationFeedStateTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type RefreshTokenRow = Selectable<RefreshTokensTable>;
export type MailRow = Selectable<MailOutboxTable>;
