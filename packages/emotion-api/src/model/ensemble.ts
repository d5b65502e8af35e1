/**
 * The catalogue's models as combinations of the two networks' outputs. Pure arithmetic: each
 * member's probabilities (on the aligned crop and on its mirror image) in, one distribution over
 * the seven labels out. The weight was fitted by scripts/fit-ensemble.ts on one half of the
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
  /** Weight of `human` in the average; `faceapi` gets 1 − this. */
  human: number;
  /** Whether each network's reading of the mirror image is averaged in with its reading of the crop. */
  mirror: boolean;
}

/** Fitted by `npx tsx scripts/fit-ensemble.ts` on the fit half (1,378 faces); see MODEL_CARD.md. */
export const ENSEMBLE: EnsembleWeights = { human: 0.5, mirror: true };

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
  const [h, f] = [weights.human, 1 - weights.human];
  return normalise(
    mix(
      weights.mirror
        ? [
            [scores.human, h / 2],
            [scores.humanMirror, h / 2],
            [scores.faceapi, f / 2],
            [scores.faceapiMirror, f / 2],
          ]
        : [
            [scores.human, h],
            [scores.faceapi, f],
          ],
    ),
  );
}

/** The distribution the catalogue model `model` answers for one face. */
export function combine(model: string, scores: MemberScores): Probabilities {
  if (model === 'human') return normalise(scores.human);
  if (model === 'faceapi') return normalise(scores.faceapi);
  return ensemble(scores);
}
