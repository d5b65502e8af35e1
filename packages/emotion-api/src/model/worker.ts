/**
 * Inference worker: one per core, each with its own WASM backend (which uses a single core).
 * Jobs run one after another; the pool in `index.ts` decides which worker gets which job.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isProblemError } from '@emotion-app/protocol';
import { Inference, type InferenceOptions } from './infer.js';
import type { FromWorker, ToWorker, WorkerError } from './types.js';

const port = parentPort;
if (!port) throw new Error('model/worker must run in a worker thread');

function post(message: FromWorker): void {
  port?.postMessage(message);
}

function toWorkerError(err: unknown): WorkerError {
  if (isProblemError(err))
    return { status: err.status, code: err.code, title: err.title, detail: err.detail };
  return {
    status: 500,
    code: 'inference_failed',
    title: 'Inference failed',
    detail: err instanceof Error ? err.message : String(err),
  };
}

const started = performance.now();
const ready = Inference.create((workerData ?? {}) as InferenceOptions);
ready.then(
  () => post({ type: 'ready', loadTimeMs: performance.now() - started }),
  (err: unknown) => post({ type: 'init-error', message: err instanceof Error ? err.message : String(err) }),
);

let queue: Promise<unknown> = ready;
port.on('message', (message: ToWorker) => {
  if (message.type !== 'detect' && message.type !== 'detect-pixels') return;
  queue = queue
    .then(async () => {
      const inference = await ready;
      const faces =
        message.type === 'detect'
          ? await inference.detect(new Uint8Array(message.image), message.model)
          : await inference.detectPixels(
              {
                data: Buffer.from(message.pixels),
                width: message.width,
                height: message.height,
                scale: message.scale,
              },
              message.model,
            );
      post({ type: 'result', id: message.id, faces });
    })
    .catch((err: unknown) => post({ type: 'error', id: message.id, error: toWorkerError(err) }));
});
