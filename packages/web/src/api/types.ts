/**
 * Every request and response shape the page exchanges with emotion-api (DESIGN §3 and §4), in
 * one place: the rest of the app imports its types from here only, so that the day they come
 * from the protocol package, this file is the one that changes.
 */
export const EMOTIONS = ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise'] as const;
export type Emotion = (typeof EMOTIONS)[number];
export type Probabilities = Partial<Record<Emotion, number>>;

/** auth-server's user (DESIGN §3), as `/auth/login`, `/auth/verify` and `PATCH /auth/me` answer it. */
export interface User {
  id: string;
  email: string;
  name: string;
  role: 'user' | 'admin';
  emailVerified: boolean;
  createdAt: string;
  updatedAt: string;
}

/**
 * `GET /auth/me`'s user: auth-server's user, or, while auth-server is unreachable, what the
 * verified access token says (id, email and role only).
 */
export type CurrentUser = Pick<User, 'id' | 'email' | 'role'> & Partial<Omit<User, 'id' | 'email' | 'role'>>;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Face {
  box: Box;
  emotion: Emotion;
  confidence: number;
  probabilities: Probabilities;
}

/** One stored prediction: the answer of `POST /detect` and every item of `GET /logs`. */
export interface Detection {
  id: string;
  emotion: Emotion;
  confidence: number;
  probabilities: Probabilities;
  /** Every detected face, largest first. */
  faces: Face[];
  model: string;
  /** `/images/<id>`, readable by the owner only. */
  imageUrl: string;
  createdAt: string;
  /** true when the top face was below emotion-api's MIN_CONFIDENCE. */
  lowConfidence: boolean;
}

export type LogItem = Detection;

export interface LogPage {
  items: LogItem[];
  total: number;
  limit: number;
  offset: number;
}

/** The filters of `GET /logs` and `GET /logs/export` (confidences 0–1, instants in ISO 8601). */
export interface LogQuery {
  emotion?: Emotion;
  minConfidence?: number;
  maxConfidence?: number;
  from?: string;
  to?: string;
}

export interface LogFilters extends LogQuery {
  limit: number;
  offset: number;
}

export type ExportFormat = 'csv' | 'json';

export interface Stats {
  total: number;
  byEmotion: Probabilities;
  byDay: { date: string; count: number }[];
}

export interface SessionInfo {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

export type LogoutScope = 'local' | 'global' | 'others';

/** `GET /health` of emotion-api. */
export interface Health {
  status: 'ok';
  model: { loaded: boolean; name: string };
  authServer: 'ok' | 'unreachable';
  revocations?: 'live' | 'stale';
}
