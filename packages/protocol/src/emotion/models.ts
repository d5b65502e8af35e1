/**
 * emotion-api's model choice (DESIGN §4): GET /models and the `model` query of POST /detect.
 * Pure data: safe to import in browsers.
 */
import { type Static, Type } from '@sinclair/typebox';

/** One model POST /detect can use. */
export const ModelInfo = Type.Object({
  id: Type.String({ description: 'what POST /detect?model= takes' }),
  name: Type.String(),
  description: Type.String(),
  default: Type.Boolean({ description: 'true for the one model used when `model` is absent' }),
});
export type ModelInfo = Static<typeof ModelInfo>;

/** Answer of GET /models: every model, exactly one of them the default. */
export const ModelList = Type.Object({ models: Type.Array(ModelInfo) });
export type ModelList = Static<typeof ModelList>;

/** Query of POST /detect: the model to use (absent: the default one). */
export interface DetectQuery {
  model?: string;
}

/**
 * The schema of POST /detect's query for the given model ids: another id is 400
 * `validation_failed` on the path `model`, before the upload is read.
 */
export function detectQuerySchema(modelIds: readonly string[]) {
  return Type.Object({
    model: Type.Optional(
      Type.Unsafe<string>({
        type: 'string',
        enum: [...modelIds],
        description: 'the id of one of GET /models (absent: the default model)',
      }),
    ),
  });
}
