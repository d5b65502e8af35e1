import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { after, describe, it } from 'node:test';
import { ImageStore } from '../../src/storage/image-store.js';

describe('ImageStore', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'emotion-images-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const store = new ImageStore(dir);

  it('saves under DATA_DIR/images with a random 128-bit name and removes it again', async () => {
    const name = await store.save(Buffer.from('jpeg bytes'));
    assert.match(name, /^[0-9a-f]{32}\.jpg$/);
    assert.deepEqual(readdirSync(path.join(dir, 'images')), [name]);
    const stream = await store.open(name);
    assert.ok(stream);
    assert.equal(await text(stream), 'jpeg bytes');
    await store.remove(name);
    assert.deepEqual(readdirSync(path.join(dir, 'images')), []);
    assert.equal(await store.open(name), undefined);
  });

  it('refuses any file name that is not one of its own', async () => {
    for (const name of ['../emotion.db', '/etc/passwd', 'a.jpg', `${'0'.repeat(32)}.jpg/../x`]) {
      await assert.rejects(store.open(name), /refusing image file name/);
    }
  });
});
