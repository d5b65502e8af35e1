/**
 * Fits the ensemble (src/model/ensemble.ts) on the `fit` half of the FER2013 public test split
 * (fixtures/fer2013-public-test, even positions per label); eval reports the other half, which this
 * script never reads. The ensemble is a log-linear pool: two weights (human's and face-api's
 * log-probabilities, each averaged over the crop and its mirror image) and seven label offsets,
 * fitted by gradient descent on the cross-entropy. A two-fold split of the fit half first shows how
 * well the fit carries over to faces it was not fitted on; then how many answers each threshold of
 * the conditional mirror pass (MIRROR_BELOW) would change. With --framings it first scores each
 * network alone on eight framings of the faces around today's (HUMAN_RAISE was chosen that way).
 * Run: npx tsx scripts/fit-ensemble.ts [--limit N] [--cache file.json] [--framings]   (in packages/emotion-api)
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { EMOTIONS, type Emotion } from '@emotion-app/protocol';
import { DETECT_MAX_SIDE, decodeRgb } from '../src/images/normalize.js';
import type { AlignedCrop } from '../src/model/aligned-crop.js';
import {
  type EnsembleWeights,
  ensemble,
  logMean,
  type MemberScores,
  type Probabilities,
} from '../src/model/ensemble.js';
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

function accuracy(rows: readonly Row[], w: EnsembleWeights): { overall: number; macro: number } {
  const per = new Map<Emotion, [number, number]>();
  let correct = 0;
  for (const r of rows) {
    const ok = topEmotion(ensemble(r.scores, w)) === r.label;
    if (ok) correct++;
    const [c, t] = per.get(r.label) ?? [0, 0];
    per.set(r.label, [c + (ok ? 1 : 0), t + 1]);
  }
  const macro = [...per.values()].reduce((sum, [c, t]) => sum + c / t, 0) / per.size;
  return { overall: correct / rows.length, macro };
}

const ITERATIONS = 6000;
const RATE = 0.05;
/** The offsets move ten times faster than the weights: their gradients are ten times smaller. */
const OFFSET_RATE = 10 * RATE;

/** Gradient descent on the mean cross-entropy, from equal weights of 1 and no offsets. */
function fit(rows: readonly Row[]): EnsembleWeights {
  const logs = rows.map((r) => ({
    h: logMean(r.scores.human, r.scores.humanMirror),
    f: logMean(r.scores.faceapi, r.scores.faceapiMirror),
    y: r.label,
  }));
  let [a, b] = [1, 1];
  const c = Object.fromEntries(EMOTIONS.map((e) => [e, 0])) as Probabilities;
  for (let it = 0; it < ITERATIONS; it++) {
    let [ga, gb] = [0, 0];
    const gc = Object.fromEntries(EMOTIONS.map((e) => [e, 0])) as Probabilities;
    for (const { h, f, y } of logs) {
      const z = EMOTIONS.map((e) => a * h[e] + b * f[e] + c[e]);
      const top = Math.max(...z);
      const exp = z.map((v) => Math.exp(v - top));
      const sum = exp.reduce((s, v) => s + v, 0);
      EMOTIONS.forEach((e, k) => {
        const g = ((exp[k] as number) / sum - (e === y ? 1 : 0)) / logs.length;
        ga += g * h[e];
        gb += g * f[e];
        gc[e] += g;
      });
    }
    a -= RATE * ga;
    b -= RATE * gb;
    for (const e of EMOTIONS) c[e] -= OFFSET_RATE * gc[e];
    const mean = EMOTIONS.reduce((s, e) => s + c[e], 0) / EMOTIONS.length;
    for (const e of EMOTIONS) c[e] -= mean;
  }
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    human: round(a),
    faceapi: round(b),
    offsets: Object.fromEntries(EMOTIONS.map((e) => [e, round(c[e])])) as Probabilities,
  };
}

/** Each network alone (crop + mirror) on the fit half, with every crop scaled or shifted by a fraction of its side. */
async function framings(): Promise<void> {
  const { Inference } = await import('../src/model/infer.js');
  const { Classifiers } = await import('../src/model/classify.js');
  const { loadEmotionModel, loadHuman } = await import('../src/model/human-loader.js');
  const { loadFaceapiNet } = await import('../src/model/faceapi-net.js');
  const inference = await Inference.create();
  const { tf } = await loadHuman('short-range');
  const classifiers = new Classifiers(tf, await loadEmotionModel(tf), await loadFaceapiNet(tf));
  const variants: [string, (c: AlignedCrop) => AlignedCrop][] = [
    ['as is', (c) => c],
    ...[0.88, 1.12, 1.25].map((k): [string, (c: AlignedCrop) => AlignedCrop] => [
      `scale ${k}`,
      (c) => ({ ...c, side: c.side * k }),
    ]),
    ...(
      [
        ['up', 0, -1],
        ['down', 0, 1],
        ['left', -1, 0],
        ['right', 1, 0],
      ] as const
    ).map(([name, dx, dy]): [string, (c: AlignedCrop) => AlignedCrop] => [
      `6% ${name}`,
      (c) => ({ ...c, cx: c.cx + dx * 0.06 * c.side, cy: c.cy + dy * 0.06 * c.side }),
    ]),
  ];
  const rows = variants.map((): Row[] => []);
  const limit = arg('limit') ? Number(arg('limit')) : undefined;
  for (const s of await labelled('fer2013-public-test', { half: 'fit', limit })) {
    const raw = await decodeRgb(s.bytes, { maxSide: DETECT_MAX_SIDE });
    const [region] = await inference.regions(raw);
    if (!region) continue;
    const crops = variants.map(([, f]) => ({ human: f(region.crop.human), faceapi: f(region.crop.faceapi) }));
    const scores = await classifiers.members(raw, crops, { human: true, faceapi: true, mirror: true });
    scores.forEach((sc, i) => {
      rows[i]?.push({ label: s.label, scores: sc });
    });
  }
  console.log("each network alone (crop + mirror), fit half, around today's framing:");
  variants.forEach(([name], i) => {
    const r = rows[i] as Row[];
    console.log(
      `  ${name.padEnd(10)} human ${fmt(accuracy(r, equal(1, 0)))}; faceapi ${fmt(accuracy(r, equal(0, 1)))}`,
    );
  });
}

/** How many answers each threshold of the conditional mirror pass changes, and how many faces it spares the pass. */
function mirrorThresholds(rows: readonly Row[], w: EnsembleWeights): void {
  const always = rows.map((r) => topEmotion(ensemble(r.scores, w)));
  for (const threshold of [0.5, 0.6, 0.7, 0.8, 0.9]) {
    let [skipped, changed] = [0, 0];
    rows.forEach((r, i) => {
      const cropOnly = { ...r.scores, humanMirror: r.scores.human, faceapiMirror: r.scores.faceapi };
      const sure = Math.max(...Object.values(ensemble(cropOnly, w))) >= threshold;
      if (sure) skipped++;
      if (topEmotion(ensemble(sure ? cropOnly : r.scores, w)) !== always[i]) changed++;
    });
    console.log(
      `  mirror pass below ${threshold}: skipped for ${((100 * skipped) / rows.length).toFixed(0)}% of faces, ${changed} answers change`,
    );
  }
}

const fmt = (a: { overall: number; macro: number }) =>
  `overall ${(100 * a.overall).toFixed(1)}%, macro ${(100 * a.macro).toFixed(1)}%`;

if (process.argv.includes('--framings')) await framings();
const rows = await memberScores();
console.log(`fit half: ${rows.length} faces`);
function equal(human: number, faceapi: number): EnsembleWeights {
  return {
    human,
    faceapi,
    offsets: Object.fromEntries(EMOTIONS.map((e) => [e, 0])) as Probabilities,
  };
}
console.log(`human alone (crop + mirror): ${fmt(accuracy(rows, equal(1, 0)))}`);
console.log(`faceapi alone (crop + mirror): ${fmt(accuracy(rows, equal(0, 1)))}`);
console.log(`geometric mean, equal weights, no offsets: ${fmt(accuracy(rows, equal(0.5, 0.5)))}`);
const folds = [rows.filter((_, i) => i % 2 === 0), rows.filter((_, i) => i % 2 === 1)] as const;
for (const [train, test] of [folds, [folds[1], folds[0]]] as const) {
  const w = fit(train);
  console.log(
    `two folds: fitted on one, on the other ${fmt(accuracy(test, w))} (equal: ${fmt(accuracy(test, equal(0.5, 0.5)))})`,
  );
}
const best = fit(rows);
console.log(`\nfitted on the whole fit half: ${fmt(accuracy(rows, best))}`);
console.log(JSON.stringify(best));
console.log('\nthe conditional mirror pass, with these weights:');
mirrorThresholds(rows, best);
