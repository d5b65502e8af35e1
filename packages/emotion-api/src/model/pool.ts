import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ProblemError, type ProblemCode } from '@emotion-app/protocol';
import type { InferenceOptions } from './infer.js';
import type { DetectOptions, FaceEmotion, FromWorker, ToWorker } from './types.js';

interface Job {
  resolve(faces: FaceEmotion[]): void;
  reject(err: Error): void;
  timer?: NodeJS.Timeout;
}

/** A worker that has not answered a job within this time is taken as hung: it is replaced. */
const DEFAULT_JOB_TIMEOUT_MS = 30_000;

function unavailable(detail: string): ProblemError {
  return new ProblemError({ code: 'model_unavailable', detail });
}

/**
 * The worker entry beside this file: `worker.js` from dist under plain node. Under tsx (tests,
 * scripts) it is `worker.ts`, and Node 20 does not pass tsx's loader hooks on to workers, so a
 * small bootstrap registers tsx inside the worker before importing it.
 */
function newWorker(init: InferenceOptions): Worker {
  // A small young generation: inference allocates little that survives, and V8's default
  // semi-spaces would keep ~30 MB per worker that RSS never gives back. `workerData` is what the
  // worker passes to `Inference.create`.
  const options = { resourceLimits: { maxYoungGenerationSizeMb: 4 }, workerData: init };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

class Slot {
  readonly pending = new Map<number, Job>();
  readonly ready: Promise<number>;
  started = false;
  private dead = false;

  constructor(
    readonly worker: Worker,
    private readonly jobTimeoutMs: number,
    private readonly onDeath: (slot: Slot, reason: string) => void,
  ) {
    this.ready = new Promise<number>((resolve, reject) => {
      worker.on('message', (msg: FromWorker) => {
        if (msg.type === 'ready') {
          this.started = true;
          resolve(msg.loadTimeMs);
        } else if (msg.type === 'init-error') {
          reject(unavailable(`The model failed to load: ${msg.message}`));
          this.die(`load failed: ${msg.message}`);
        } else this.settle(msg);
      });
      worker.on('error', (err) => {
        reject(unavailable(`The model worker failed: ${err.message}`));
        this.die(err.message);
      });
      worker.on('exit', (code) => {
        reject(unavailable('The model worker stopped.'));
        this.die(`exited with code ${code}`);
      });
    });
    // Keep the process alive while loading or busy, not while idle (a server has its socket for that).
    this.ready.then(
      () => {
        if (this.pending.size === 0) worker.unref();
      },
      () => {},
    );
  }

  private settle(msg: FromWorker): void {
    if (msg.type !== 'result' && msg.type !== 'error') return;
    const job = this.pending.get(msg.id);
    if (!job) return;
    this.pending.delete(msg.id);
    clearTimeout(job.timer);
    if (this.pending.size === 0) this.worker.unref();
    if (msg.type === 'result') job.resolve(msg.faces);
    else {
      const { status, code, title, detail } = msg.error;
      job.reject(
        new ProblemError({ status, code: code as ProblemCode, title, ...(detail ? { detail } : {}) }),
      );
    }
  }

  send(id: number, image: Buffer, opts: DetectOptions, job: Job): void {
    const { pixels, model } = opts;
    // A copy of just these bytes (a Buffer may be a view into a larger or shared pool), transferred.
    const bytes = pixels?.data ?? image;
    const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    job.timer = setTimeout(() => this.die(`no answer within ${this.jobTimeoutMs} ms`), this.jobTimeoutMs);
    job.timer.unref();
    this.pending.set(id, job);
    this.worker.ref();
    const message: ToWorker = pixels
      ? {
          type: 'detect-pixels',
          id,
          pixels: copy,
          width: pixels.width,
          height: pixels.height,
          scale: pixels.scale,
          model,
        }
      : { type: 'detect', id, image: copy, model };
    this.worker.postMessage(message, [copy]);
  }

  private die(reason: string): void {
    if (this.dead) return;
    this.dead = true;
    void this.worker.terminate();
    for (const job of this.pending.values()) {
      clearTimeout(job.timer);
      job.reject(unavailable(`The model worker crashed (${reason}).`));
    }
    this.pending.clear();
    this.onDeath(this, reason);
  }
}

/** A fixed number of inference workers; each job goes to the worker with the fewest jobs in flight. */
export class WorkerPool {
  private slots: Slot[] = [];
  private nextId = 1;
  private closed = false;
  /** Workers in a row that died before loading their model; after a few, stop respawning. */
  private failedStarts = 0;
  private static readonly MAX_FAILED_STARTS = 3;

  constructor(
    private readonly size: number = availableParallelism(),
    private readonly jobTimeoutMs: number = DEFAULT_JOB_TIMEOUT_MS,
    private readonly init: InferenceOptions = {},
  ) {}

  /** Starts the workers and resolves once every one has loaded and warmed up its model. */
  async start(): Promise<void> {
    this.closed = false;
    this.slots = Array.from({ length: this.size }, () => this.spawn());
    await Promise.all(this.slots.map((s) => s.ready));
  }

  private spawn(): Slot {
    return new Slot(newWorker(this.init), this.jobTimeoutMs, (dead) => this.replace(dead));
  }

  private replace(dead: Slot): void {
    const i = this.slots.indexOf(dead);
    if (i < 0 || this.closed) return;
    this.failedStarts = dead.started ? 0 : this.failedStarts + 1;
    if (this.failedStarts >= WorkerPool.MAX_FAILED_STARTS) {
      this.slots.splice(i, 1);
      return;
    }
    const slot = this.spawn();
    slot.ready.then(
      () => {
        this.failedStarts = 0;
      },
      () => {},
    );
    this.slots[i] = slot;
  }

  /** The live worker threads (for diagnostics and tests). */
  workers(): readonly Worker[] {
    return this.slots.map((s) => s.worker);
  }

  run(image: Buffer, opts: DetectOptions = {}): Promise<FaceEmotion[]> {
    if (this.closed || this.slots.length === 0)
      return Promise.reject(unavailable('The model is not loaded.'));
    let slot = this.slots[0] as Slot;
    for (const s of this.slots) if (s.pending.size < slot.pending.size) slot = s;
    const id = this.nextId++;
    return new Promise<FaceEmotion[]>((resolve, reject) => slot.send(id, image, opts, { resolve, reject }));
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
