/**
 * Runs the emotion networks on aligned crops: human's FER2013 mini-Xception (64×64 grayscale) and
 * face-api's expression network (112×112 RGB), each on the crops and, for the ensemble, on their
 * mirror images, all in one tidy with one read back per network.
 */
import { EMOTIONS } from '@emotion-app/protocol';
import { type AlignedCrop, sampleCrop } from './aligned-crop.js';
import { combine, type MemberScores, type Probabilities } from './ensemble.js';
import { FACEAPI_INPUT, FACEAPI_LABELS, type FaceapiNet } from './faceapi-net.js';
import type { Tf } from './human-loader.js';
import { toProbabilities } from './scores.js';

export const HUMAN_INPUT = 64;
/** RGB weights for grayscale (ITU-R BT.601 luma). */
const LUMA = [0.299, 0.587, 0.114];

type Readable = { data(): Promise<Float32Array>; dispose(): void };

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

/** Which networks a catalogue model needs, and whether on mirror images too. */
export function needs(model: string): { human: boolean; faceapi: boolean; mirror: boolean } {
  if (model === 'human') return { human: true, faceapi: false, mirror: false };
  if (model === 'faceapi') return { human: false, faceapi: true, mirror: false };
  return { human: true, faceapi: true, mirror: true };
}

/** The square each network sees of one face (each in the framing it was trained on). */
export interface NetworkCrops {
  human: AlignedCrop;
  faceapi: AlignedCrop;
}

/** `crops` sampled at `size`×`size` into one `[n, size, size, 3]` array. */
function sampleAll(
  image: { data: Uint8Array; width: number; height: number },
  crops: readonly AlignedCrop[],
  size: number,
): Float32Array {
  const pixels = new Float32Array(crops.length * size * size * 3);
  crops.forEach((crop, i) => {
    pixels.set(sampleCrop(image, crop, size), i * size * size * 3);
  });
  return pixels;
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
  async members(
    image: { data: Uint8Array; width: number; height: number },
    crops: readonly NetworkCrops[],
    need: { human: boolean; faceapi: boolean; mirror: boolean },
  ): Promise<MemberScores[]> {
    const n = crops.length;
    if (n === 0) return [];
    const tf = this.tf;
    const humanPixels = need.human
      ? sampleAll(
          image,
          crops.map((c) => c.human),
          HUMAN_INPUT,
        )
      : undefined;
    const faceapiPixels = need.faceapi
      ? sampleAll(
          image,
          crops.map((c) => c.faceapi),
          FACEAPI_INPUT,
        )
      : undefined;
    const withMirror = (batch: unknown) =>
      need.mirror ? tf.concat([batch, tf.reverse(batch, 2)], 0) : batch;
    const outputs = tf.tidy(() => {
      const result: { human?: Readable; faceapi?: Readable } = {};
      if (humanPixels) {
        const rgb = withMirror(tf.tensor4d(humanPixels, [n, HUMAN_INPUT, HUMAN_INPUT, 3]));
        const gray = tf.sum(tf.mul(rgb, tf.tensor1d(LUMA)), -1, true);
        result.human = this.human.execute(tf.sub(tf.div(gray, 127.5), 1)) as Readable;
      }
      if (faceapiPixels) {
        const rgb = withMirror(tf.tensor4d(faceapiPixels, [n, FACEAPI_INPUT, FACEAPI_INPUT, 3]));
        result.faceapi = this.faceapi.predict(rgb) as Readable;
      }
      return result;
    }) as { human?: Readable; faceapi?: Readable };
    const [human, faceapi] = await Promise.all([outputs.human?.data(), outputs.faceapi?.data()]);
    outputs.human?.dispose();
    outputs.faceapi?.dispose();
    const row = (
      scores: Float32Array | undefined,
      i: number,
      labels: readonly (typeof EMOTIONS)[number][],
    ) => (scores ? byLabels(labels, scores.subarray(i * 7, i * 7 + 7)) : uniform());
    return crops.map((_, i) => {
      const m = need.mirror ? n + i : i;
      return {
        human: human ? toProbabilities(human.subarray(i * 7, i * 7 + 7)) : uniform(),
        humanMirror: human ? toProbabilities(human.subarray(m * 7, m * 7 + 7)) : uniform(),
        faceapi: row(faceapi, i, FACEAPI_LABELS),
        faceapiMirror: row(faceapi, m, FACEAPI_LABELS),
      };
    });
  }

  /** The catalogue model's distribution for each crop. */
  async classify(
    image: { data: Uint8Array; width: number; height: number },
    crops: readonly NetworkCrops[],
    model: string,
  ): Promise<Probabilities[]> {
    return (await this.members(image, crops, needs(model))).map((scores) => combine(model, scores));
  }
}
