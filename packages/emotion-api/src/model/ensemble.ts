/**
 * The catalogue's models as combinations of the two networks' outputs. Pure arithmetic: each
 * member's probabilities (on the aligned crop and on its mirror image) in, one distribution over
 * the seven labels out.
 *
 * The ensemble is a weighted geometric mean (a log-linear pool): each network's crop and mirror
 * readings are averaged, then
 *   p(label) ∝ exp(human · ln(H(label) + ε) + faceapi · ln(F(label) + ε) + offset(label)).
 * The two weights and the seven label offsets were fitted by scripts/fit-ensemble.ts on one half of
 * the FER2013 public test split (see MODEL_CARD.md); the other half is what eval reports.
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
  /** Weight of the log of human's (crop + mirror) average. */
  human: number;
  /** Weight of the log of face-api's (crop + mirror) average. */
  faceapi: number;
  /** Added to each label's log score (0 = no preference); only differences between labels matter. */
  offsets: Probabilities;
}

/** Keeps a network's zero from vetoing a label the other network reads. */
export const FLOOR = 1e-3;

/** Fitted by `npx tsx scripts/fit-ensemble.ts` on the fit half (1,378 faces); see MODEL_CARD.md. */
export const ENSEMBLE: EnsembleWeights = {
  human: 0.52,
  faceapi: 0.19,
  offsets: {
    angry: 0.11,
    disgust: -0.36,
    fear: 0.33,
    happy: 0.59,
    neutral: -0.15,
    sad: -0.32,
    surprise: -0.2,
  },
};

/**
 * The ensemble adds the mirror images' readings only for a face whose top probability without them
 * is below this: the lowest threshold (in steps of 0.1) that gave exactly the answers of always
 * mirroring on the fit half (0.6 changed one face of 1,378, 0.5 cost 0.2 points). It skips the mirror
 * pass for about half of the FER2013 faces and for three of the five photos.
 */
export const MIRROR_BELOW = 0.7;

/** Whether `scores`, read without mirror images (each mirror repeating its crop), is unsure enough to read those too. */
export function needsMirror(scores: MemberScores, weights: EnsembleWeights = ENSEMBLE): boolean {
  const p = ensemble(scores, weights);
  return Math.max(...EMOTIONS.map((e) => p[e])) < MIRROR_BELOW;
}

/** `probabilities` scaled to sum to 1 (uniform when they sum to 0 or less). */
export function normalise(probabilities: Probabilities): Probabilities {
  const total = EMOTIONS.reduce((sum, e) => sum + Math.max(0, probabilities[e]), 0);
  return Object.fromEntries(
    EMOTIONS.map((e) => [e, total > 0 ? Math.max(0, probabilities[e]) / total : 1 / EMOTIONS.length]),
  ) as Probabilities;
}

/** The log of each label's mean over a network's crop and mirror readings, floored. */
export function logMean(a: Probabilities, b: Probabilities): Probabilities {
  const [na, nb] = [normalise(a), normalise(b)];
  return Object.fromEntries(EMOTIONS.map((e) => [e, Math.log((na[e] + nb[e]) / 2 + FLOOR)])) as Probabilities;
}

/** exp of each score, normalised (the largest is subtracted first, so nothing overflows). */
export function softmax(scores: Probabilities): Probabilities {
  const top = Math.max(...EMOTIONS.map((e) => scores[e]));
  return normalise(Object.fromEntries(EMOTIONS.map((e) => [e, Math.exp(scores[e] - top)])) as Probabilities);
}

/** The ensemble's distribution for one face. */
export function ensemble(scores: MemberScores, weights: EnsembleWeights = ENSEMBLE): Probabilities {
  const h = logMean(scores.human, scores.humanMirror);
  const f = logMean(scores.faceapi, scores.faceapiMirror);
  return softmax(
    Object.fromEntries(
      EMOTIONS.map((e) => [e, weights.human * h[e] + weights.faceapi * f[e] + weights.offsets[e]]),
    ) as Probabilities,
  );
}

/** The distribution the catalogue model `model` answers for one face. */
export function combine(model: string, scores: MemberScores): Probabilities {
  if (model === 'human') return normalise(scores.human);
  if (model === 'faceapi') return normalise(scores.faceapi);
  return ensemble(scores);
}
