/**
 * Runs the emotion networks on aligned crops: human's FER2013 mini-Xception (64×64 grayscale) and
 * face-api's expression network (112×112 RGB), each on the crops and, when wanted, on their mirror
 * images, one execution and one read-back per network and pass.
 */
import { EMOTIONS } from '@emotion-app/protocol';
import { type AlignedCrop, sampleCrop } from './aligned-crop.js';
import { combine, ensemble, type MemberScores, needsMirror, type Probabilities } from './ensemble.js';
import { FACEAPI_INPUT, FACEAPI_LABELS, type FaceapiNet } from './faceapi-net.js';
import type { Tf } from './human-loader.js';
import { toProbabilities } from './scores.js';

export const HUMAN_INPUT = 64;
/** RGB weights for grayscale (ITU-R BT.601 luma). */
const LUMA = [0.299, 0.587, 0.114];

type Readable = { data(): Promise<Float32Array>; dispose(): void };
type Image = { data: Uint8Array; width: number; height: number };

/** Which networks to run, and whether on the mirror images too. */
export interface Need {
  human: boolean;
  faceapi: boolean;
  mirror: boolean;
}

/**
 * Which networks a catalogue model needs. The ensemble reads mirror images too, but `classify`
 * runs that pass only for the faces it is unsure of without it (`needsMirror`).
 */
export function needs(model: string): Need {
  if (model === 'human') return { human: true, faceapi: false, mirror: false };
  if (model === 'faceapi') return { human: false, faceapi: true, mirror: false };
  return { human: true, faceapi: true, mirror: true };
}

/** The square each network sees of one face (each in the framing it was trained on). */
export interface NetworkCrops {
  human: AlignedCrop;
  faceapi: AlignedCrop;
}

/** The crops as each needed network's input: `[n, size, size, 3]` RGB floats. */
interface Sampled {
  n: number;
  human?: Float32Array;
  faceapi?: Float32Array;
}

/** Rows of seven scores per network (in the network's own label order), one row per input. */
interface Rows {
  human?: Float32Array;
  faceapi?: Float32Array;
}

/** `crops` sampled at `size`×`size` into one `[n, size, size, 3]` array. */
function sampleAll(image: Image, crops: readonly AlignedCrop[], size: number): Float32Array {
  const pixels = new Float32Array(crops.length * size * size * 3);
  crops.forEach((crop, i) => {
    pixels.set(sampleCrop(image, crop, size), i * size * size * 3);
  });
  return pixels;
}

/** The inputs of `indices` only. */
function subset(sampled: Sampled, indices: readonly number[]): Sampled {
  const pick = (pixels: Float32Array | undefined) => {
    if (!pixels) return undefined;
    const size = pixels.length / sampled.n;
    const out = new Float32Array(indices.length * size);
    indices.forEach((i, k) => {
      out.set(pixels.subarray(i * size, (i + 1) * size), k * size);
    });
    return out;
  };
  return { n: indices.length, human: pick(sampled.human), faceapi: pick(sampled.faceapi) };
}

function byLabels(labels: readonly (typeof EMOTIONS)[number][], row: ArrayLike<number>): Probabilities {
  const p = Object.fromEntries(EMOTIONS.map((e) => [e, 0])) as Probabilities;
  labels.forEach((label, i) => {
    p[label] = Math.max(0, row[i] ?? 0);
  });
  return p;
}

function uniform(): Probabilities {
  return Object.fromEntries(EMOTIONS.map((e) => [e, 1 / EMOTIONS.length])) as Probabilities;
}

const humanRow = (rows: Rows, i: number) =>
  rows.human ? toProbabilities(rows.human.subarray(i * 7, i * 7 + 7)) : uniform();
const faceapiRow = (rows: Rows, i: number) =>
  rows.faceapi ? byLabels(FACEAPI_LABELS, rows.faceapi.subarray(i * 7, i * 7 + 7)) : uniform();

/** One face's readings: the crop's from row `i`, the mirror image's from row `m` (= `i`: repeats the crop's). */
function scoresOf(rows: Rows, i: number, m: number): MemberScores {
  return {
    human: humanRow(rows, i),
    humanMirror: humanRow(rows, m),
    faceapi: faceapiRow(rows, i),
    faceapiMirror: faceapiRow(rows, m),
  };
}

export class Classifiers {
  constructor(
    private readonly tf: Tf,
    private readonly human: { execute(input: unknown): unknown },
    private readonly faceapi: FaceapiNet,
  ) {}

  /**
   * Every network's probabilities for each crop; those `need` leaves out stay uniform (a mirror
   * left out repeats the crop's reading).
   */
  async members(image: Image, crops: readonly NetworkCrops[], need: Need): Promise<MemberScores[]> {
    const n = crops.length;
    if (n === 0) return [];
    const rows = await this.run(this.sample(image, crops, need), need.mirror ? 'both' : 'crop');
    return crops.map((_, i) => scoresOf(rows, i, need.mirror ? n + i : i));
  }

  /**
   * The catalogue model's distribution for each crop. The ensemble first reads the crops alone and
   * adds the mirror images' readings only for the faces it is unsure of (`needsMirror`): the others
   * would keep the same answer (measured on the fit half) and skip a third of the work.
   */
  async classify(image: Image, crops: readonly NetworkCrops[], model: string): Promise<Probabilities[]> {
    const need = needs(model);
    if (!(need.human && need.faceapi)) {
      return (await this.members(image, crops, need)).map((scores) => combine(model, scores));
    }
    if (crops.length === 0) return [];
    const sampled = this.sample(image, crops, need);
    const scores = await this.run(sampled, 'crop').then((rows) => crops.map((_, i) => scoresOf(rows, i, i)));
    const unsure = scores.flatMap((s, i) => (needsMirror(s) ? [i] : []));
    if (unsure.length > 0) {
      const mirrored = await this.run(subset(sampled, unsure), 'mirror');
      unsure.forEach((i, k) => {
        const m = scoresOf(mirrored, k, k);
        scores[i] = { ...(scores[i] as MemberScores), humanMirror: m.human, faceapiMirror: m.faceapi };
      });
    }
    return scores.map((s) => ensemble(s));
  }

  private sample(image: Image, crops: readonly NetworkCrops[], need: Need): Sampled {
    return {
      n: crops.length,
      human: need.human
        ? sampleAll(
            image,
            crops.map((c) => c.human),
            HUMAN_INPUT,
          )
        : undefined,
      faceapi: need.faceapi
        ? sampleAll(
            image,
            crops.map((c) => c.faceapi),
            FACEAPI_INPUT,
          )
        : undefined,
    };
  }

  /** Each sampled network on the crops as they are, mirrored left to right, or both (crops first). */
  private async run(sampled: Sampled, views: 'crop' | 'mirror' | 'both'): Promise<Rows> {
    const { tf } = this;
    const { n } = sampled;
    const viewed = (batch: unknown) =>
      views === 'crop'
        ? batch
        : views === 'mirror'
          ? tf.reverse(batch, 2)
          : tf.concat([batch, tf.reverse(batch, 2)], 0);
    const outputs = tf.tidy(() => {
      const result: { human?: Readable; faceapi?: Readable } = {};
      if (sampled.human) {
        const rgb = viewed(tf.tensor4d(sampled.human, [n, HUMAN_INPUT, HUMAN_INPUT, 3]));
        const gray = tf.sum(tf.mul(rgb, tf.tensor1d(LUMA)), -1, true);
        result.human = this.human.execute(tf.sub(tf.div(gray, 127.5), 1)) as Readable;
      }
      if (sampled.faceapi) {
        const rgb = viewed(tf.tensor4d(sampled.faceapi, [n, FACEAPI_INPUT, FACEAPI_INPUT, 3]));
        result.faceapi = this.faceapi.predict(rgb) as Readable;
      }
      return result;
    }) as { human?: Readable; faceapi?: Readable };
    try {
      const [human, faceapi] = await Promise.all([outputs.human?.data(), outputs.faceapi?.data()]);
      return { human, faceapi };
    } finally {
      outputs.human?.dispose();
      outputs.faceapi?.dispose();
    }
  }
}
