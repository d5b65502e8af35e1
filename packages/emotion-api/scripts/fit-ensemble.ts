/**
 * Fits the ensemble's weight (src/model/ensemble.ts) on the `fit` half of the FER2013 public test
 * split (fixtures/fer2013-public-test, even positions per label); eval reports the other half, which
 * this script never reads. Grid search over human's weight (steps of 0.05, face-api gets the rest),
 * with and without the mirror images, maximising overall + macro accuracy. A two-fold split of the
 * fit half first shows how well the chosen weight carries over to faces it was not fitted on.
 * Run: npx tsx scripts/fit-ensemble.ts [--limit N] [--cache file.json]   (in packages/emotion-api)
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { Emotion } from '@emotion-app/protocol';
import { DETECT_MAX_SIDE, decodeRgb } from '../src/images/normalize.js';
import { type EnsembleWeights, ensemble, type MemberScores } from '../src/model/ensemble.js';
import { topEmotion } from '../src/model/scores.js';
import { labelled } from './datasets.js';

type Row = { label: Emotion; scores: MemberScores };

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function memberScores(): Promise<Row[]> {
  const cache = arg('cache');
  if (cache && existsSync(cache)) return JSON.parse(await readFile(cache, 'utf8')) as Row[];
  const { Inference } = await import('../src/model/infer.js');
  const inference = await Inference.create();
  const limit = arg('limit') ? Number(arg('limit')) : undefined;
  const rows: Row[] = [];
  for (const s of await labelled('fer2013-public-test', { half: 'fit', limit })) {
    const raw = await decodeRgb(s.bytes, { maxSide: DETECT_MAX_SIDE });
    const [scores] = await inference.memberScores(raw);
    if (scores) rows.push({ label: s.label, scores });
  }
  if (cache) await writeFile(cache, JSON.stringify(rows));
  return rows;
}

function accuracy(
  rows: readonly Row[],
  w: EnsembleWeights,
): { overall: number; macro: number; value: number } {
  const per = new Map<Emotion, [number, number]>();
  let correct = 0;
  for (const r of rows) {
    const ok = topEmotion(ensemble(r.scores, w)) === r.label;
    if (ok) correct++;
    const [c, t] = per.get(r.label) ?? [0, 0];
    per.set(r.label, [c + (ok ? 1 : 0), t + 1]);
  }
  const overall = correct / rows.length;
  const macro = [...per.values()].reduce((sum, [c, t]) => sum + c / t, 0) / per.size;
  return { overall, macro, value: overall + macro };
}

function fit(rows: readonly Row[], log = false): EnsembleWeights {
  let best: EnsembleWeights = { human: 1, mirror: false };
  let bestValue = accuracy(rows, best).value;
  for (const mirror of [false, true]) {
    for (let step = 0; step <= 20; step++) {
      const w = { human: step / 20, mirror };
      const a = accuracy(rows, w);
      if (log) console.log(`  human ${w.human.toFixed(2)}, mirror ${mirror}: ${fmt(a)}`);
      if (a.value > bestValue + 1e-9) [best, bestValue] = [w, a.value];
    }
  }
  return best;
}

const fmt = (a: { overall: number; macro: number }) =>
  `overall ${(100 * a.overall).toFixed(1)}%, macro ${(100 * a.macro).toFixed(1)}%`;

const rows = await memberScores();
console.log(`fit half: ${rows.length} faces`);
console.log(`human alone: ${fmt(accuracy(rows, { human: 1, mirror: false }))}`);
console.log(`faceapi alone: ${fmt(accuracy(rows, { human: 0, mirror: false }))}`);
const folds = [rows.filter((_, i) => i % 2 === 0), rows.filter((_, i) => i % 2 === 1)] as const;
for (const [train, test] of [folds, [folds[1], folds[0]]] as const) {
  const w = fit(train);
  console.log(`two folds: fitted ${JSON.stringify(w)} on one, on the other ${fmt(accuracy(test, w))}`);
}
const best = fit(rows, true);
console.log(`\nbest on the whole fit half: ${fmt(accuracy(rows, best))}`);
console.log(JSON.stringify(best));
