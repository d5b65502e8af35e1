/** emotion-api's GET /health answer (DESIGN §4). Pure data: safe to import in browsers. */
import { type Static, Type } from '@sinclair/typebox';

/**
 * Answer of GET /health: liveness, the model's state, whether auth-server answers, the
 * revocation feed's state (DESIGN §7): `live` while its stream is connected, `stale` when it is
 * down or not configured (tokens are then checked by expiry alone), and whether the predictions
 * database answers (`db`; when `down` the answer is 503 with `status: "error"`).
 */
export const ApiHealth = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('error')]),
  model: Type.Object({ loaded: Type.Boolean(), name: Type.String() }),
  authServer: Type.Union([Type.Literal('ok'), Type.Literal('unreachable')]),
  revocations: Type.Union([Type.Literal('live'), Type.Literal('stale')]),
  db: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('down')])),
});
export type ApiHealth = Static<typeof ApiHealth>;
