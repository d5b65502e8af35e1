import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

/** The small part of tfjs-core (as bundled by human) that the model code uses. */
// biome-ignore lint/suspicious/noExplicitAny: tfjs ships no types through human's node-wasm build
export type Tf = any;

export interface HumanFace {
  box: [number, number, number, number];
  boxRaw: [number, number, number, number];
  score: number;
  faceScore?: number;
  /** facemesh's 468 landmarks as [x, y, z], in input pixels; empty when facemesh rejected the face. */
  mesh: [number, number, number][];
}

/** The subset of `@vladmandic/human`'s `Human` class that the worker uses. */
export interface HumanInstance {
  version: string;
  tf: Tf;
  config: Record<string, unknown>;
  load(): Promise<void>;
  init(): Promise<void>;
  detect(input: unknown): Promise<{ face: HumanFace[]; error?: string | null }>;
  models: { models: Record<string, GraphModelLike | null | undefined> };
}

/** What tfjs-converter's GraphModel offers that the warm-up needs. */
export interface GraphModelLike {
  inputs: { shape?: number[] }[];
  execute(input: unknown): unknown;
}

interface HumanModule {
  Human: new (config: Record<string, unknown>) => HumanInstance;
}

/** The two BlazeFace detectors: short range (128 px input, vendored in this package's `models/`) and full range (256 px, human's own). */
export type FaceDetector = 'short-range' | 'full-range';

/** Where human's node-wasm build, its model files and the tfjs wasm binaries live (all inside node_modules). */
export function humanPaths(): {
  humanJs: string;
  modelsDir: string;
  wasmDir: string;
  vendoredModelsDir: string;
} {
  // human's main entry is the tfjs-node build, which is not installed: load the node-wasm build beside it.
  // Its exports map has no valid key for that file, so resolve the main entry and take its folder.
  const humanJs = path.join(path.dirname(require.resolve('@vladmandic/human')), 'human.node-wasm.js');
  const modelsDir = path.join(path.dirname(humanJs), '..', 'models');
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  // src/model and dist/model are both two levels below the package root.
  const vendoredModelsDir = fileURLToPath(new URL('../../models', import.meta.url));
  return { humanJs, modelsDir, wasmDir, vendoredModelsDir };
}

export function humanVersion(): string {
  const { humanJs } = humanPaths();
  const pkg = require(path.join(path.dirname(humanJs), '..', 'package.json')) as { version: string };
  return pkg.version;
}

export function tfjsVersion(): string {
  const pkg = require('@tensorflow/tfjs-backend-wasm/package.json') as { version: string };
  return pkg.version;
}

let fileLoaderRegistered = false;

/**
 * tfjs-core has no `file://` loader outside tfjs-node: register one that reads a graph model's
 * JSON and its weight shards from disk, so nothing is ever fetched from the network.
 */
export function registerFileLoader(tf: Tf): void {
  // Every copy of human shares one tfjs-core, whose registry refuses two loaders for one URL.
  if (fileLoaderRegistered) return;
  fileLoaderRegistered = true;
  tf.io.registerLoadRouter((url: string | string[]) => {
    if (typeof url !== 'string' || !url.startsWith('file://')) return null;
    const jsonPath = fileURLToPath(url);
    return {
      load: async () => {
        const modelJson = JSON.parse(await readFile(jsonPath, 'utf8')) as {
          modelTopology: unknown;
          weightsManifest: { paths: string[]; weights: unknown[] }[];
          format?: string;
          generatedBy?: string;
          convertedBy?: string;
          userDefinedMetadata?: unknown;
        };
        const specs: unknown[] = [];
        const buffers: Buffer[] = [];
        for (const group of modelJson.weightsManifest) {
          specs.push(...group.weights);
          for (const p of group.paths) buffers.push(await readFile(path.join(path.dirname(jsonPath), p)));
        }
        const all = Buffer.concat(buffers);
        const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
        return {
          modelTopology: modelJson.modelTopology,
          weightSpecs: specs,
          weightData,
          format: modelJson.format,
          generatedBy: modelJson.generatedBy,
          convertedBy: modelJson.convertedBy,
          userDefinedMetadata: modelJson.userDefinedMetadata,
        };
      },
    };
  });
}

/** Human configured for still images: one BlazeFace + facemesh only, WASM backend, no caching between calls. */
export function humanConfig(
  modelsDir: string,
  wasmDir: string,
  detectorModel = 'blazeface.json',
): Record<string, unknown> {
  return {
    backend: 'wasm',
    wasmPath: `${wasmDir}${path.sep}`,
    wasmPlatformFetch: false,
    modelBasePath: `${pathToFileURL(modelsDir).href}/`,
    cacheModels: false,
    debug: false,
    async: true,
    warmup: 'none',
    cacheSensitivity: 0,
    skipAllowed: false,
    filter: { enabled: false },
    gesture: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    face: {
      enabled: true,
      detector: {
        modelPath: detectorModel,
        rotation: false,
        maxDetected: 20,
        skipFrames: 0,
        skipTime: 0,
        minConfidence: 0.3,
        iouThreshold: 0.1,
        return: false,
      },
      mesh: { enabled: true },
      attention: { enabled: false },
      iris: { enabled: false },
      emotion: { enabled: false },
      description: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
    },
  };
}

/**
 * Loads a copy of human's node-wasm build with the given face detector, facemesh and the file loader.
 * human keeps its loaded models in module scope, so each detector needs its own copy of the module;
 * all copies share the one tfjs-core and WASM backend.
 */
export async function loadHuman(detector: FaceDetector): Promise<HumanInstance> {
  const { humanJs, modelsDir, wasmDir, vendoredModelsDir } = humanPaths();
  delete require.cache[humanJs];
  const { Human } = require(humanJs) as HumanModule;
  const detectorModel =
    detector === 'short-range'
      ? pathToFileURL(path.join(vendoredModelsDir, 'blazeface-front.json')).href
      : 'blazeface.json';
  const human = new Human(humanConfig(modelsDir, wasmDir, detectorModel));
  registerFileLoader(human.tf);
  await human.init();
  await human.load();
  return human;
}

/** Loads human's emotion model (FER2013 mini-Xception, 64×64 grayscale in, 7 scores out) from the same folder. */
export async function loadEmotionModel(tf: Tf): Promise<{ execute(input: unknown): unknown }> {
  const { modelsDir } = humanPaths();
  return tf.loadGraphModel(`${pathToFileURL(path.join(modelsDir, 'emotion.json')).href}`);
}
