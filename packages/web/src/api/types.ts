export const EMOTIONS = ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise'] as const;
export type Emotion = (typeof EMOTIONS)[number];
export type Probabilities = Partial<Record<Emotion, number>>;

export interface User {
  id: string;
  email: string;
  name: string;
  role: 'user' | 'admin';
  emailVerified: boolean;
  createdAt: string;
  updatedAt: string;
}

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

export interface Detection {
  id: string;
  emotion: Emotion;
  confidence: number;
  probabilities: Probabilities;
  faces: Face[];
  model?: string;
  imageUrl?: string;
  createdAt: string;
}

export interface LogItem {
  id: string;
  emotion: Emotion;
  confidence: number;
  probabilities?: Probabilities;
  faces?: Face[];
  imageUrl?: string;
  createdAt: string;
}

export interface LogPage {
  items: LogItem[];
  total: number;
  limit: number;
  offset: number;
}

export interface LogFilters {
  limit: number;
  offset: number;
  emotion?: Emotion;
  minConfidence?: number;
  maxConfidence?: number;
  from?: string;
  to?: string;
}

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
