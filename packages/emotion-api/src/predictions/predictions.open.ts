/** Opens the PredictionStore the configuration names: PostgreSQL with `DATABASE_URL`, else SQLite in DATA_DIR. */
import { openPostgres } from '../db/postgres.js';
import { PostgresPredictionStore } from './predictions.postgres.js';
import { SqlitePredictionStore } from './predictions.sqlite.js';
import type { PredictionStore } from './predictions.store.js';

export async function openPredictionStore(config: {
  databaseUrl: string | undefined;
  dataDir: string;
}): Promise<PredictionStore> {
  if (config.databaseUrl === undefined) return SqlitePredictionStore.open(config.dataDir);
  return new PostgresPredictionStore(await openPostgres({ databaseUrl: config.databaseUrl }));
}
