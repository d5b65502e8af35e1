import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { WorkerPool } from '../../src/model/pool.js';

const photo = () => readFile(new URL('../../../../fixtures/faces/sad_test.jpg', import.meta.url));

describe('inference worker pool', () => {
  const pool = new WorkerPool(1);
  before(() => pool.start());
  after(() => pool.close());

  it('keeps the main event loop turning while a detection runs', async () => {
    const image = await photo();
    let ticks = 0;
    let running = true;
    const tick = (): void => {
      ticks++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const faces = await pool.run(image);
    running = false;
    assert.equal(faces.length, 1);
    assert.ok(ticks > 5, `the loop turned ${ticks} times during inference`);
  });

  it('rejects pending jobs with 503 model_unavailable when a worker dies, then replaces it', async () => {
    const image = await photo();
    const [worker] = pool.workers();
    assert.ok(worker);
    const pending = [pool.run(image), pool.run(image)];
    await worker.terminate();
    for (const job of pending) await assert.rejects(job, { status: 503, code: 'model_unavailable' });

    const [replacement] = pool.workers();
    assert.ok(replacement && replacement !== worker, 'a new worker took its place');
    const faces = await pool.run(image);
    assert.equal(faces.length, 1);
  });

  it('replaces a worker that does not answer within the job timeout and rejects its jobs with 503', async () => {
    // A 1 ms budget no real detection (decode + BlazeFace + classifier) can meet.
    const impatient = new WorkerPool(1, 1);
    await impatient.start();
    try {
      const [worker] = impatient.workers();
      await assert.rejects(impatient.run(await photo()), { status: 503, code: 'model_unavailable' });
      const [replacement] = impatient.workers();
      assert.ok(replacement && replacement !== worker);
    } finally {
      await impatient.close();
    }
  });

  it('refuses work with 503 model_unavailable once closed', async () => {
    const closed = new WorkerPool(1);
    await closed.close();
    await assert.rejects(closed.run(await photo()), { status: 503, code: 'model_unavailable' });
  });
});
