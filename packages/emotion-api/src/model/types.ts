import type { Emotion } from '@emotion-app/protocol';
import type { Face, FaceBox } from '@emotion-app/protocol/emotion';

export type { Emotion, FaceBox };

/**
 * One face: its box in pixels of the image given to `detect` (after EXIF rotation), the most
 * likely emotion, and the probabilities of all seven (summing to 1). The API's `Face`.
 */
export type FaceEmotion = Face;

export interface EmotionDetector {
  /** Model name and version, e.g. "human@3.3.6 blazeface-front/back+facemesh+emotion (tfjs-wasm 4.22.0)". */
  readonly model: string;
  readonly loaded: boolean;
  /** Milliseconds the last `load()` took (workers started, weights loaded, warmed up); undefined before. */
  readonly loadTimeMs?: number;
  /** Starts the workers, loads the weights from node_modules (never the network) and warms up. */
  load(): Promise<void>;
  /**
   * JPEG/PNG/WebP bytes in; faces out, largest first; [] when there is none. With `opts.pixels`
   * (the same image already decoded by `decodeRgb`/`prepareImage`) the worker skips decoding `image`.
   */
  detect(image: Buffer, opts?: DetectOptions): Promise<FaceEmotion[]>;
  close(): Promise<void>;
}

/** RGB pixels of the image (3 channels, row-major) and the factor from them to full-size pixels. */
export interface DetectPixels {
  data: Uint8Array;
  width: number;
  height: number;
  scale: number;
}

export interface DetectOptions {
  pixels?: DetectPixels;
  /** A catalogue id (GET /models); absent: the default model. */
  model?: string;
}

/** Error shape passed from a worker to the main thread. */
export interface WorkerError {
  status: number;
  code: string;
  title: string;
  detail?: string;
}

export type ToWorker =
  | { type: 'detect'; id: number; image: ArrayBuffer; model?: string }
  | {
      type: 'detect-pixels';
      id: number;
      pixels: ArrayBuffer;
      width: number;
      height: number;
      scale: number;
      model?: string;
    };
export type FromWorker =
  | { type: 'ready'; loadTimeMs: number }
  | { type: 'init-error'; message: string }
  | { type: 'result'; id: number; faces: FaceEmotion[] }
  | { type: 'error'; id: number; error: WorkerError };
