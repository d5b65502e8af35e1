/**
 * Accuracy of each catalogue model, through the detector the API uses (worker thread, aligned
 * crops), on:
 *   - FER2013's public test split (fixtures/fer2013-public-test): the held-out `eval` half (odd
 *     positions per label; the ensemble's weights were fitted on the other half) and the whole split;
 *   - the five photos (fixtures/faces);
 *   - with --sample, fixtures/fer2013-sample: FER2013 TRAINING data, a smoke test only.
 * Prints overall and macro accuracy, per-label accuracy, the confusion matrix and ms per face.
 * Run: npm run eval [-- --model <id>] [-- --limit N (per label, evenly spread)] [-- --sample]
 */
import { EMOTIONS, type Emotion } from '@emotion-app/protocol';
import { createEmotionDetector, type EmotionDetector } from '../src/model/index.js';
import { MODEL_IDS } from '../src/models/models.catalogue.js';
import { labelled, photos, type Sample } from './datasets.js';

interface Score {
  total: number;
  correct: number;
  noFace: number;
  ms: number;
  perLabel: Map<Emotion, { total: number; correct: number }>;
  confusion: Map<string, number>;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const models = arg('model') ? [arg('model') as string] : [...MODEL_IDS];
const limit = arg('limit') ? Number(arg('limit')) : undefined;
const withSample = process.argv.includes('--sample');
for (const m of models)
  if (!MODEL_IDS.includes(m)) throw new Error(`unknown model ${m}; one of ${MODEL_IDS}`);

async function score(
  detector: EmotionDetector,
  model: string,
  samples: Sample[],
  verbose: boolean,
): Promise<Score> {
  const s: Score = { total: 0, correct: 0, noFace: 0, ms: 0, perLabel: new Map(), confusion: new Map() };
  for (const sample of samples) {
    const started = performance.now();
    const faces = await detector.detect(sample.bytes, { model });
    s.ms += performance.now() - started;
    const predicted = faces[0]?.emotion;
    const ok = predicted === sample.label;
    s.total++;
    if (ok) s.correct++;
    if (!predicted) s.noFace++;
    const l = s.perLabel.get(sample.label) ?? { total: 0, correct: 0 };
    l.total++;
    if (ok) l.correct++;
    s.perLabel.set(sample.label, l);
    const key = `${sample.label}>${predicted ?? 'none'}`;
    s.confusion.set(key, (s.confusion.get(key) ?? 0) + 1);
    if (verbose) {
      const p = faces[0] ? `${predicted} (${faces[0].confidence.toFixed(2)})` : 'no face';
      console.log(`  ${ok ? 'ok  ' : 'MISS'} ${sample.name}: expected ${sample.label}, got ${p}`);
    }
  }
  return s;
}

const pct = (a: number, b: number): string =>
  b === 0 ? '   -' : `${((100 * a) / b).toFixed(1).padStart(5)}%`;

function macro(s: Score): number {
  const labels = [...s.perLabel.values()];
  return (100 * labels.reduce((sum, l) => sum + l.correct / l.total, 0)) / labels.length;
}

function report(title: string, s: Score, withConfusion: boolean): void {
  console.log(`\n${title}`);
  console.log(
    `  overall ${pct(s.correct, s.total)} (${s.correct}/${s.total}), macro ${macro(s).toFixed(1)}%, ` +
      `no face: ${s.noFace}, ${(s.ms / s.total).toFixed(1)} ms per image (one at a time)`,
  );
  console.log(
    `  ${EMOTIONS.filter((e) => s.perLabel.has(e))
      .map((e) => {
        const l = s.perLabel.get(e) ?? { correct: 0, total: 0 };
        return `${e} ${pct(l.correct, l.total).trim()}`;
      })
      .join(', ')}`,
  );
  if (!withConfusion) return;
  console.log('  confusion (rows: true label, columns: predicted)');
  console.log(`  ${''.padEnd(9)}${EMOTIONS.map((e) => e.slice(0, 7).padStart(8)).join('')}    none`);
  for (const t of EMOTIONS) {
    if (!s.perLabel.has(t)) continue;
    const cells = [...EMOTIONS, 'none'].map((p) => String(s.confusion.get(`${t}>${p}`) ?? 0).padStart(8));
    console.log(`  ${t.padEnd(9)}${cells.join('')}`);
  }
}

function merge(a: Score, b: Score): Score {
  const perLabel = new Map(a.perLabel);
  for (const [label, l] of b.perLabel) {
    const m = perLabel.get(label) ?? { total: 0, correct: 0 };
    perLabel.set(label, { total: m.total + l.total, correct: m.correct + l.correct });
  }
  const confusion = new Map(a.confusion);
  for (const [k, v] of b.confusion) confusion.set(k, (confusion.get(k) ?? 0) + v);
  return {
    total: a.total + b.total,
    correct: a.correct + b.correct,
    noFace: a.noFace + b.noFace,
    ms: a.ms + b.ms,
    perLabel,
    confusion,
  };
}

const detector = createEmotionDetector({ workers: 1 });
try {
  await detector.load();
  console.log(`detector: ${detector.model}; load ${detector.loadTimeMs?.toFixed(0)} ms (1 worker)`);
  const evalHalf = await labelled('fer2013-public-test', { half: 'eval', limit });
  const fitHalf = await labelled('fer2013-public-test', { half: 'fit', limit });
  const photoSamples = await photos();
  const sample = withSample ? await labelled('fer2013-sample', { limit }) : [];
  const summary: string[] = [];
  for (const model of models) {
    console.log(`\n=== model ${model} ===`);
    await score(detector, model, [...evalHalf.slice(0, 5), ...photoSamples], false); // settle the JIT
    const held = await score(detector, model, evalHalf, false);
    report(`FER2013 public test, held-out half (${held.total} faces, never used for fitting)`, held, true);
    const whole = merge(held, await score(detector, model, fitHalf, false));
    report(
      `FER2013 public test, whole split (${whole.total} faces; the ensemble's weights were fitted on half of it)`,
      whole,
      false,
    );
    console.log('');
    const photo = await score(detector, model, photoSamples, true);
    report(`Photos (fixtures/faces, ${photo.total} images)`, photo, false);
    if (withSample) {
      const smoke = await score(detector, model, sample, false);
      report(
        `fer2013-sample: FER2013 TRAINING split, smoke test only, not a score (${smoke.total})`,
        smoke,
        false,
      );
    }
    summary.push(
      `| ${model} | ${pct(held.correct, held.total).trim()} | ${macro(held).toFixed(1)}% | ` +
        `${pct(whole.correct, whole.total).trim()} | ${macro(whole).toFixed(1)}% | ${photo.correct}/${photo.total} | ` +
        `${(held.ms / held.total).toFixed(1)} | ${(photo.ms / photo.total).toFixed(1)} |`,
    );
  }
  console.log(
    '\n| model | held-out half | macro | whole test split | macro | photos | ms/48px face | ms/photo |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const line of summary) console.log(line);
} finally {
  await detector.close();
}
