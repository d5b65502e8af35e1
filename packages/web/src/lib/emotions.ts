import type { MantineColor } from '@mantine/core';
import type { Emotion } from '../api/types.js';

export const EMOTION_COLOR: Record<Emotion, MantineColor> = {
  angry: 'red',
  disgust: 'lime',
  fear: 'violet',
  happy: 'yellow',
  neutral: 'teal',
  sad: 'blue',
  surprise: 'orange',
};

export function emotionLabel(emotion: string): string {
  return emotion.charAt(0).toUpperCase() + emotion.slice(1);
}

export function percent(value: number): string {
  return `${Math.round(value * 1000) / 10}%`;
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
