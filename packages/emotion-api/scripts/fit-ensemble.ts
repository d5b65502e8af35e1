/**
 * Fits the ensemble's weights (src/model/ensemble.ts) on the `fit` half of the FER2013 public test
 * split (fixtures/fer2013-public-test, even positions per label); eval reports the other half, which
 * this script never reads. Grid search over the four views' weights (each network on the crop and
 * on its mirror image, steps of 0.05), then per-label factors by coordinate ascent, maximising
 * overall + macro accuracy. A two-fold split of the fit half first shows whether the label factors
 * generalise. Prints the weights to paste into ensemble.ts.
 * Run: npx tsx scripts/fit-ensemble.ts [--limit N] [--cache file.json]   (in packages/emotion-api)
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { EMOTIONS, type Emotion } from '@emotion-app/protocol';
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

const ones = Object.fromEntries(EMOTIONS.map((e) => [e, 1])) as Record<Emotion, number>;
const FACTORS = [0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5];

function fitViews(rows: readonly Row[]): EnsembleWeights {
  let best: EnsembleWeights = {
    views: { human: 1, humanMirror: 0, faceapi: 0, faceapiMirror: 0 },
    labels: ones,
  };
  let bestValue = accuracy(rows, best).value;
  for (let a = 0; a <= 20; a++) {
    for (let b = 0; a + b <= 20; b++) {
      for (let c = 0; a + b + c <= 20; c++) {
        const views = {
          human: a / 20,
          humanMirror: b / 20,
          faceapi: c / 20,
          faceapiMirror: (20 - a - b - c) / 20,
        };
        const w = { views, labels: ones };
        const { value } = accuracy(rows, w);
        if (value > bestValue + 1e-9) [best, bestValue] = [w, value];
      }
    }
  }
  return best;
}

function fitLabels(rows: readonly Row[], start: EnsembleWeights): EnsembleWeights {
  let best = start;
  let bestValue = accuracy(rows, best).value;
  for (let round = 0; round < 3; round++) {
    for (const e of EMOTIONS) {
      for (const f of FACTORS) {
        const w = { ...best, labels: { ...best.labels, [e]: f } };
        const { value } = accuracy(rows, w);
        if (value > bestValue + 1e-9) [best, bestValue] = [w, value];
      }
    }
  }
  return best;
}

const fmt = (a: { overall: number; macro: number }) =>
  `overall ${(100 * a.overall).toFixed(1)}%, macro ${(100 * a.macro).toFixed(1)}%`;

const rows = await memberScores();
console.log(`fit half: ${rows.length} faces`);
for (const view of ['human', 'faceapi'] as const) {
  const alone = { human: 0, humanMirror: 0, faceapi: 0, faceapiMirror: 0, [view]: 1 };
  console.log(`${view} alone: ${fmt(accuracy(rows, { views: alone, labels: ones }))}`);
}
// Two folds of the fit half: fit on one, score on the other, to see what the label factors are worth.
const folds = [rows.filter((_, i) => i % 2 === 0), rows.filter((_, i) => i % 2 === 1)] as const;
for (const [train, test] of [folds, [folds[1], folds[0]]] as const) {
  const views = fitViews(train);
  const labels = fitLabels(train, views);
  console.log(
    `fold: views only ${fmt(accuracy(test, views))}; with label factors ${fmt(accuracy(test, labels))}`,
  );
}
const views = fitViews(rows);
console.log(`views fitted on the whole fit half: ${fmt(accuracy(rows, views))}`);
const best = fitLabels(rows, views);
console.log(`with label factors: ${fmt(accuracy(rows, best))}`);
console.log(JSON.stringify(best));
