/** emotion-api's GET /health answer (DESIGN §4). Pure data: safe to import in browsers. */
import { type Static, Type } from '@sinclair/typebox';

/** Answer of GET /health: liveness, the model's state and whether auth-server answers. */
export const ApiHealth = Type.Object({
  status: Type.Literal('ok'),
  model: Type.Object({ loaded: Type.Boolean(), name: Type.String() }),
  authServer: Type.Union([Type.Literal('ok'), Type.Literal('unreachable')]),
});
export type ApiHealth = Static<typeof ApiHealth>;
