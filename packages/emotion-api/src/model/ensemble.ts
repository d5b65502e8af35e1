/**
 * The catalogue's models as combinations of the two networks' outputs. Pure arithmetic: each
 * member's probabilities (on the aligned crop and on its mirror image) in, one distribution over
 * the seven labels out. The weights were fitted by scripts/fit-ensemble.ts on one half of the
 * FER2013 public test split (see MODEL_CARD.md); the other half is what eval reports.
 */
import { EMOTIONS, type Emotion } from '@emotion-app/protocol';

export type Probabilities = Record<Emotion, number>;

/** One face as each network read it, on the crop and on the crop mirrored left to right. */
export interface MemberScores {
  human: Probabilities;
  humanMirror: Probabilities;
  faceapi: Probabilities;
  faceapiMirror: Probabilities;
}

export interface EnsembleWeights {
  /** Weight of each network's reading in the average (summing to 1); a mirror weight of 0 skips that pass. */
  views: Record<keyof MemberScores, number>;
  /** Per-label factors applied to the average before renormalising (priors fitted with the weights). */
  labels: Probabilities;
}

/** Fitted by `npx tsx scripts/fit-ensemble.ts` on the fit half (1,378 faces); see MODEL_CARD.md. */
export const ENSEMBLE: EnsembleWeights = {
  views: { human: 0.275, humanMirror: 0.275, faceapi: 0.225, faceapiMirror: 0.225 },
  labels: { angry: 0.7, disgust: 2.5, fear: 1.15, happy: 1.75, neutral: 0.7, sad: 0.7, surprise: 0.8 },
};

/** `probabilities` scaled to sum to 1 (uniform when they sum to 0 or less). */
export function normalise(probabilities: Probabilities): Probabilities {
  const total = EMOTIONS.reduce((sum, e) => sum + Math.max(0, probabilities[e]), 0);
  return Object.fromEntries(
    EMOTIONS.map((e) => [e, total > 0 ? Math.max(0, probabilities[e]) / total : 1 / EMOTIONS.length]),
  ) as Probabilities;
}

function mix(parts: readonly [Probabilities, number][]): Probabilities {
  return Object.fromEntries(
    EMOTIONS.map((e) => [e, parts.reduce((sum, [p, w]) => sum + w * p[e], 0)]),
  ) as Probabilities;
}

/** The ensemble's distribution for one face. */
export function ensemble(scores: MemberScores, weights: EnsembleWeights = ENSEMBLE): Probabilities {
  const views = Object.keys(weights.views) as (keyof MemberScores)[];
  const average = mix(views.map((v) => [scores[v], weights.views[v]]));
  return normalise(
    Object.fromEntries(EMOTIONS.map((e) => [e, average[e] * weights.labels[e]])) as Probabilities,
  );
}

/** The distribution the catalogue model `model` answers for one face. */
export function combine(model: string, scores: MemberScores): Probabilities {
  if (model === 'human') return normalise(scores.human);
  if (model === 'faceapi') return normalise(scores.faceapi);
  return ensemble(scores);
}
