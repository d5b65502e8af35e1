/**
 * Accuracy of the emotion detector on the labelled FER2013 sample (fixtures/fer2013-sample/<label>/*.jpg)
 * and on the five shared photos (label from the file name), plus mean milliseconds per image.
 * Run: npm run eval (in packages/emotion-api).
 */
import { readdir, readFile } from 'node:fs/promises';
import { EMOTIONS, type Emotion } from '@emotion-app/protocol';
import { createEmotionDetector, type EmotionDetector } from '../src/model/index.js';

const fixtures = new URL('../../../fixtures/', import.meta.url);

interface Sample {
  label: Emotion;
  name: string;
  bytes: Buffer;
}

interface Score {
  total: number;
  correct: number;
  noFace: number;
  ms: number;
  perLabel: Map<Emotion, { total: number; correct: number }>;
  confusion: Map<string, number>;
}

function isEmotion(value: string): value is Emotion {
  return (EMOTIONS as readonly string[]).includes(value);
}

async function ferSample(): Promise<Sample[]> {
  const root = new URL('fer2013-sample/', fixtures);
  const samples: Sample[] = [];
  for (const label of (await readdir(root)).sort()) {
    if (!isEmotion(label)) continue;
    for (const name of (await readdir(new URL(`${label}/`, root))).sort()) {
      samples.push({
        label,
        name: `${label}/${name}`,
        bytes: await readFile(new URL(`${label}/${name}`, root)),
      });
    }
  }
  return samples;
}

async function photos(): Promise<Sample[]> {
  const root = new URL('faces/', fixtures);
  const samples: Sample[] = [];
  for (const name of (await readdir(root)).sort()) {
    const label = name.toLowerCase().split(/[-_.]/)[0] ?? '';
    if (isEmotion(label)) samples.push({ label, name, bytes: await readFile(new URL(name, root)) });
  }
  return samples;
}

async function score(detector: EmotionDetector, samples: Sample[], verbose: boolean): Promise<Score> {
  const s: Score = { total: 0, correct: 0, noFace: 0, ms: 0, perLabel: new Map(), confusion: new Map() };
  for (const sample of samples) {
    const started = performance.now();
    const faces = await detector.detect(sample.bytes);
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

function report(title: string, s: Score): void {
  console.log(`\n${title}: ${pct(s.correct, s.total)} (${s.correct}/${s.total}), no face: ${s.noFace}`);
  console.log(`  mean ${(s.ms / s.total).toFixed(1)} ms per image (one at a time)`);
  for (const label of EMOTIONS) {
    const l = s.perLabel.get(label);
    if (l) console.log(`  ${label.padEnd(8)} ${pct(l.correct, l.total)} (${l.correct}/${l.total})`);
  }
}

function confusion(s: Score): void {
  console.log('\n  confusion (rows: true label, columns: predicted)');
  console.log(`  ${''.padEnd(9)}${EMOTIONS.map((e) => e.slice(0, 7).padStart(8)).join('')}    none`);
  for (const t of EMOTIONS) {
    if (!s.perLabel.has(t)) continue;
    const cells = [...EMOTIONS, 'none'].map((p) => String(s.confusion.get(`${t}>${p}`) ?? 0).padStart(8));
    console.log(`  ${t.padEnd(9)}${cells.join('')}`);
  }
}

const detector = createEmotionDetector({ workers: 1 });
try {
  await detector.load();
  console.log(`model: ${detector.model}`);
  console.log(`load: ${detector.loadTimeMs?.toFixed(0)} ms (1 worker)`);
  const fer = await ferSample();
  await score(detector, fer.slice(0, 5), false); // settle the JIT before timing
  const ferScore = await score(detector, fer, false);
  report(`FER2013 sample (fixtures/fer2013-sample, ${fer.length} images of 48×48)`, ferScore);
  confusion(ferScore);
  const photoSamples = await photos();
  await score(detector, photoSamples, false); // first large images: settle before timing
  console.log('');
  const photoScore = await score(detector, photoSamples, true);
  report(`Photos (fixtures/faces, ${photoSamples.length} images)`, photoScore);
} finally {
  await detector.close();
}
