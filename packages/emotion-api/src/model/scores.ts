/** Pure arithmetic on the emotion model's output: one row of scores to probabilities, and the winner. */
import { EMOTIONS, type Emotion } from '@emotion-app/protocol';

/** Output order of human's FER2013 (oarriaga) emotion model. */
export const MODEL_LABELS: readonly Emotion[] = [
  'angry',
  'disgust',
  'fear',
  'happy',
  'sad',
  'surprise',
  'neutral',
];

/**
 * One face's row of model scores (in MODEL_LABELS order) as probabilities by label, renormalised
 * to sum to 1; negative scores count as 0, and a row of zeros is uniform.
 */
export function toProbabilities(row: ArrayLike<number>): Record<Emotion, number> {
  let total = 0;
  for (let i = 0; i < MODEL_LABELS.length; i++) total += Math.max(0, row[i] ?? 0);
  const probabilities = Object.fromEntries(EMOTIONS.map((e) => [e, 0])) as Record<Emotion, number>;
  MODEL_LABELS.forEach((label, i) => {
    probabilities[label] = total > 0 ? Math.max(0, row[i] ?? 0) / total : 1 / EMOTIONS.length;
  });
  return probabilities;
}

/** The most probable label; on a tie the first in EMOTIONS order. */
export function topEmotion(probabilities: Record<Emotion, number>): Emotion {
  return EMOTIONS.reduce((best, e) => (probabilities[e] > probabilities[best] ? e : best), EMOTIONS[0]);
}
