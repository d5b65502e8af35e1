/**
 * `@vladmandic/face-api`'s expression network (a small DenseNet on 112×112 RGB, trained by
 * face-api.js; MIT), rebuilt on the project's tfjs stack from the weights in face-api's `model/`
 * folder. Only the expression network: face-api's own detectors are not used.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Emotion } from '@emotion-app/protocol';
import type { Tf } from './human-loader.js';

const require = createRequire(import.meta.url);

export const FACEAPI_INPUT = 112;
/** Output order of face-api's FACE_EXPRESSION_LABELS, in this project's names. */
export const FACEAPI_LABELS: readonly Emotion[] = [
  'neutral',
  'happy',
  'sad',
  'angry',
  'fear',
  'disgust',
  'surprise',
];
const MEAN_RGB = [122.782, 117.001, 104.298];

export function faceapiModelDir(): string {
  return path.join(path.dirname(require.resolve('@vladmandic/face-api')), '..', 'model');
}

export function faceapiVersion(): string {
  const dir = path.dirname(path.dirname(require.resolve('@vladmandic/face-api')));
  return (require(path.join(dir, 'package.json')) as { version: string }).version;
}

type Tensor = { dispose(): void };
type Weights = Record<string, Tensor>;

export interface FaceapiNet {
  /** `[n, 112, 112, 3]` float RGB 0–255 in; `[n, 7]` softmax probabilities in FACEAPI_LABELS order out. */
  predict(rgb: unknown): unknown;
}

/** Loads the weights (uint8-quantised in the file, dequantised here) from disk, never the network. */
export async function loadFaceapiNet(tf: Tf): Promise<FaceapiNet> {
  const dir = faceapiModelDir();
  const manifest = JSON.parse(
    await readFile(path.join(dir, 'face_expression_model-weights_manifest.json'), 'utf8'),
  ) as { paths: string[]; weights: unknown[] }[];
  const specs = manifest.flatMap((g) => g.weights);
  const buffers = await Promise.all(manifest.flatMap((g) => g.paths.map((p) => readFile(path.join(dir, p)))));
  const all = Buffer.concat(buffers);
  const weights = tf.io.decodeWeights(
    all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
    specs,
  ) as Weights;
  return { predict: (rgb) => tf.tidy(() => forward(tf, weights, rgb)) };
}

function forward(tf: Tf, w: Weights, rgb: unknown): unknown {
  const sepConv = (x: unknown, name: string, stride: number) =>
    tf.add(
      tf.separableConv2d(x, w[`${name}/depthwise_filter`], w[`${name}/pointwise_filter`], stride, 'same'),
      w[`${name}/bias`],
    );
  const block = (x: unknown, name: string, first: boolean) => {
    const out1 = tf.relu(
      first
        ? tf.add(tf.conv2d(x, w[`${name}/conv0/filters`], 2, 'same'), w[`${name}/conv0/bias`])
        : sepConv(x, `${name}/conv0`, 2),
    );
    const out2 = sepConv(out1, `${name}/conv1`, 1);
    const out3 = sepConv(tf.relu(tf.add(out1, out2)), `${name}/conv2`, 1);
    const out4 = sepConv(tf.relu(tf.add(out1, tf.add(out2, out3))), `${name}/conv3`, 1);
    return tf.relu(tf.add(out1, tf.add(out2, tf.add(out3, out4))));
  };
  let x = tf.div(tf.sub(rgb, tf.tensor1d(MEAN_RGB)), 255);
  x = block(x, 'dense0', true);
  x = block(x, 'dense1', false);
  x = block(x, 'dense2', false);
  x = block(x, 'dense3', false);
  x = tf.avgPool(x, [7, 7], [2, 2], 'valid');
  const flat = tf.reshape(x, [-1, 256]);
  return tf.softmax(tf.add(tf.matMul(flat, w['fc/weights']), w['fc/bias']));
}
