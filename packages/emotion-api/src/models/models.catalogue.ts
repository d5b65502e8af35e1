/**
 * The models POST /detect can use (GET /models): the two networks and their ensemble. Exactly one entry is the default, used when a request names none.
 */
import type { ModelInfo } from '@emotion-app/protocol/emotion';

export const MODELS: readonly ModelInfo[] = [
  {
    id: 'ensemble',
    name: 'Ensemble',
    description:
      'Weighted geometric mean of Human and face-api on the aligned face and its mirror image, with label ' +
      'offsets, fitted on half of the FER2013 public test split (MODEL_CARD.md).',
    default: true,
  },
  {
    id: 'human',
    name: 'Human',
    description:
      "@vladmandic/human's emotion network (FER2013 mini-Xception, 64×64 grayscale) on the aligned " +
      'face crop (tfjs-wasm, on the server).',
    default: false,
  },
  {
    id: 'faceapi',
    name: 'face-api',
    description:
      "@vladmandic/face-api's expression network (112×112 RGB) on the aligned face crop (tfjs-wasm, on the server).",
    default: false,
  },
];

/** Every model id, in catalogue order. */
export const MODEL_IDS: readonly string[] = MODELS.map((m) => m.id);

/** The model used when a request names none. */
export const DEFAULT_MODEL: ModelInfo = defaultOf(MODELS);

/** The model named by `id`, the default one when `id` is absent, undefined for an unknown id. */
export function findModel(id: string | undefined): ModelInfo | undefined {
  return id === undefined ? DEFAULT_MODEL : MODELS.find((m) => m.id === id);
}

function defaultOf(models: readonly ModelInfo[]): ModelInfo {
  const defaults = models.filter((m) => m.default);
  const [only] = defaults;
  if (defaults.length !== 1 || only === undefined) {
    throw new Error(`the model catalogue needs exactly one default, has ${defaults.length}`);
  }
  return only;
}
