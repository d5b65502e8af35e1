import { availableParallelism } from 'node:os';
import { ProblemError } from '@emotion-app/protocol';
import { faceapiVersion } from './faceapi-net.js';
import { humanVersion, tfjsVersion } from './human-loader.js';
import { modelId } from './model-id.js';
import { WorkerPool } from './pool.js';
import type { DetectOptions, EmotionDetector, FaceEmotion } from './types.js';

export type { DetectOptions, DetectPixels, Emotion, EmotionDetector, FaceBox, FaceEmotion } from './types.js';

/**
 * The face-emotion detector: `@vladmandic/human` (short-range BlazeFace, full-range BlazeFace when
 * faces may be small, facemesh) finds faces; the catalogue's model (`opts.model`: human's FER2013
 * mini-Xception, face-api's expression network, or their ensemble, the default) reads the aligned
 * face crop. TensorFlow.js WASM backend, one worker thread per core (or `workers`), so inference
 * never blocks the event loop.
 * Weights come from node_modules and this package's `models/`, never the network. Images given as
 * encoded bytes over `maxPixels` (default 40 million; the app passes MAX_IMAGE_MEGAPIXELS) are
 * refused before decoding.
 *
 * @example
 * const detector = createEmotionDetector();
 * await detector.load();
 * const faces = await detector.detect(jpegBytes); // largest face first, [] when none
 * await detector.close();
 */
export function createEmotionDetector(opts: { workers?: number; maxPixels?: number } = {}): EmotionDetector {
  const pool = new WorkerPool(Math.max(1, opts.workers ?? availableParallelism()), undefined, {
    maxPixels: opts.maxPixels,
  });
  const model =
    `human@${humanVersion()} blazeface-front/back+facemesh+emotion, ` +
    `face-api@${faceapiVersion()} expression (tfjs-wasm ${tfjsVersion()})`;
  let loading: Promise<void> | undefined;
  let loaded = false;
  let closed = false;
  let loadTimeMs: number | undefined;

  const load = (): Promise<void> => {
    closed = false;
    if (!loading) {
      const started = performance.now();
      loading = pool.start().then(
        () => {
          loaded = true;
          loadTimeMs = performance.now() - started;
        },
        async (err: unknown) => {
          loading = undefined;
          await pool.close();
          throw err;
        },
      );
    }
    return loading;
  };

  return {
    model,
    get loaded() {
      return loaded;
    },
    get loadTimeMs() {
      return loadTimeMs;
    },
    load,
    async detect(image: Buffer, opts?: DetectOptions): Promise<FaceEmotion[]> {
      if (closed) throw new ProblemError({ code: 'model_unavailable', detail: 'The model has been closed.' });
      if (!loaded) await load();
      // An unknown id is refused here, before the image travels to a worker.
      return pool.run(image, { pixels: opts?.pixels, model: modelId(opts?.model) });
    },
    async close() {
      closed = true;
      loaded = false;
      loading = undefined;
      await pool.close();
    },
  };
}
