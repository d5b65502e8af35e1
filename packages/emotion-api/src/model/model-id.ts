import { ProblemError } from '@emotion-app/protocol';
import { DEFAULT_MODEL, MODEL_IDS } from '../models/models.catalogue.js';

/** The catalogue id `model` names (the default when absent); 400 validation_failed for an id the catalogue lacks. */
export function modelId(model: string | undefined): string {
  if (model === undefined) return DEFAULT_MODEL.id;
  if (MODEL_IDS.includes(model)) return model;
  throw new ProblemError({ code: 'validation_failed', detail: `Unknown model "${model}".` });
}
