/**
 * The models POST /detect can use (GET /models). One today, `human`; issue 14 adds more entries
 * here. Exactly one entry is the default, used when a request names none.
 */
import type { ModelInfo } from '@emotion-app/protocol/emotion';

export const MODELS: readonly ModelInfo[] = [
  {
    id: 'human',
    name: 'Human',
    description:
      "@vladmandic/human's emotion network on the BlazeFace face and its facemesh crop (tfjs-wasm, " +
      'on the server); trained on FER2013.',
    default: true,
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
