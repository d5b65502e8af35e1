import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProblemError } from '@emotion-app/protocol';
import { BoundedQueue } from '../../src/model/bounded-queue.js';

/** A task that finishes when `finish()` is called, recording when it started. */
function pending(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    task: async () => {
      log.push(name);
      await done;
      return name;
    },
    finish: () => finish(),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('BoundedQueue', () => {
  it('runs at most `concurrency` tasks at once and the waiting ones in arrival order', async () => {
    const queue = new BoundedQueue(2, 5);
    const started: string[] = [];
    const tasks = ['a', 'b', 'c', 'd'].map((name) => pending(started, name));
    const results = tasks.map((t) => queue.run(t.task));
    await tick();
    assert.deepEqual(started, ['a', 'b']);
    assert.deepEqual(queue.size, { active: 2, waiting: 2 });
    tasks[1]?.finish();
    await tick();
    assert.deepEqual(started, ['a', 'b', 'c']);
    for (const t of tasks) t.finish();
    assert.deepEqual(await Promise.all(results), ['a', 'b', 'c', 'd']);
    assert.deepEqual(queue.size, { active: 0, waiting: 0 });
  });

  it('refuses a task beyond queueMax at once with 503 server_busy and a Retry-After, without running it', async () => {
    const queue = new BoundedQueue(1, 1);
    const started: string[] = [];
    const first = pending(started, 'first');
    const second = pending(started, 'second');
    const running = queue.run(first.task);
    const waiting = queue.run(second.task);
    await assert.rejects(queue.run(pending(started, 'third').task), (err: unknown) => {
      assert.ok(err instanceof ProblemError);
      assert.equal(err.status, 503);
      assert.equal(err.code, 'server_busy');
      assert.ok((err.retryAfterSec ?? 0) >= 1);
      return true;
    });
    first.finish();
    second.finish();
    assert.deepEqual([await running, await waiting], ['first', 'second']);
    assert.deepEqual(started, ['first', 'second']);
  });

  it('frees the slot when a task throws, and drops a waiting task whose signal aborts', async () => {
    const queue = new BoundedQueue(1, 2);
    const started: string[] = [];
    const first = pending(started, 'first');
    const running = queue.run(first.task);
    const gone = new AbortController();
    const abandoned = queue.run(pending(started, 'abandoned').task, gone.signal);
    const failing = queue.run(async () => {
      started.push('failing');
      throw new Error('boom');
    });
    gone.abort(new Error('client went away'));
    await assert.rejects(abandoned, /client went away/);
    assert.deepEqual(queue.size, { active: 1, waiting: 1 });
    first.finish();
    await running;
    await assert.rejects(failing, /boom/);
    assert.deepEqual(started, ['first', 'failing']);
    assert.deepEqual(queue.size, { active: 0, waiting: 0 });
    assert.equal(await queue.run(async () => 'after'), 'after');
  });
});
