import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Db, openDatabase } from '../../src/db/database.js';
import { insertPrediction } from '../../src/detections/detections.repository.js';
import { listPredictions } from '../../src/history/history.repository.js';
import { HistoryService } from '../../src/history/history.service.js';
import { type Prediction, zeroCounts } from '../../src/predictions/predictions.table.js';
import { ImageStore } from '../../src/storage/image-store.js';

async function stored(images: ImageStore, userId: string): Promise<Prediction> {
  const imageFile = await images.save(Buffer.from('jpeg bytes'));
  const probabilities = { ...zeroCounts(), happy: 0.8 };
  return {
    id: randomUUID(),
    userId,
    createdAt: new Date().toISOString(),
    emotion: 'happy',
    confidence: 0.8,
    probabilities,
    faces: [],
    model: 'test-model',
    imageFile,
    lowConfidence: false,
  };
}

describe('HistoryService.removeUser (a user_deleted revocation event)', () => {
  let dir: string;
  let db: Db;
  let images: ImageStore;
  let history: HistoryService;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'emotion-remove-user-'));
    db = openDatabase(dir);
    images = new ImageStore(dir);
    history = new HistoryService({ db, images });
  });
  after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("deletes every prediction and image of that user, and nobody else's; again is a no-op", async () => {
    const gone = [await stored(images, 'deleted-user'), await stored(images, 'deleted-user')];
    const kept = await stored(images, 'other-user');
    for (const p of [...gone, kept]) insertPrediction(db, p);

    assert.equal(await history.removeUser('deleted-user'), 2);

    assert.equal(listPredictions(db, 'deleted-user', { limit: 10, offset: 0 }).total, 0);
    for (const p of gone) assert.equal(existsSync(path.join(images.dir, p.imageFile)), false);
    assert.equal(listPredictions(db, 'other-user', { limit: 10, offset: 0 }).total, 1);
    assert.ok(existsSync(path.join(images.dir, kept.imageFile)));

    assert.equal(await history.removeUser('deleted-user'), 0);
  });
});
