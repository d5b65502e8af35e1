/** The model catalogue (GET /models) as the pages use it: which one to preselect, what to call one. */
import type { ModelInfo } from '../api/types.js';

/** The catalogue's default model, else its first; null for an empty or missing catalogue. */
export function defaultModelId(models: readonly ModelInfo[] | undefined): string | null {
  return (models?.find((model) => model.default) ?? models?.[0])?.id ?? null;
}

/**
 * The model to send with a detection: the user's pick while the catalogue still offers it, else
 * the catalogue's default (null: send none, emotion-api then uses its default).
 */
export function chosenModelId(
  models: readonly ModelInfo[] | undefined,
  picked: string | null,
): string | null {
  if (picked !== null && models?.some((model) => model.id === picked)) return picked;
  return defaultModelId(models);
}

/**
 * A model's display name: its catalogue name, or the stored string itself (rows written before
 * the catalogue, which recorded a model version such as `human@3.3.6`).
 */
export function modelName(id: string, models: readonly ModelInfo[] | undefined): string {
  return models?.find((model) => model.id === id)?.name ?? id;
}
