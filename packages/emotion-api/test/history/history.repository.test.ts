import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Db, openDatabase } from '../../src/db/database.js';
import { insertPrediction } from '../../src/detections/detections.repository.js';
import {
  deletePrediction,
  findPrediction,
  listPredictions,
  predictionStats,
} from '../../src/history/history.repository.js';
import { type Prediction, zeroCounts } from '../../src/predictions/predictions.table.js';
import type { Emotion } from '../../src/model/index.js';

function prediction(userId: string, createdAt: string, emotion: Emotion, confidence: number): Prediction {
  const probabilities = { ...zeroCounts(), [emotion]: confidence };
  return {
    id: randomUUID(),
    userId,
    createdAt,
    emotion,
    confidence,
    probabilities,
    faces: [{ box: { x: 1, y: 2, width: 30, height: 40 }, emotion, confidence, probabilities }],
    model: 'test-model',
    imageFile: `${randomUUID().replaceAll('-', '')}.jpg`,
    lowConfidence: false,
  };
}

describe('history repository (predictions written by detections)', () => {
  let dir: string;
  let db: Db;
  const alice = 'user-alice';
  const bob = 'user-bob';

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'emotion-db-'));
    db = openDatabase(dir);
    insertPrediction(db, prediction(alice, '2026-01-01T10:00:00.000Z', 'happy', 0.9));
    insertPrediction(db, prediction(alice, '2026-01-01T12:00:00.000Z', 'sad', 0.4));
    insertPrediction(db, prediction(alice, '2026-01-02T09:00:00.000Z', 'happy', 0.6));
    insertPrediction(db, prediction(bob, '2026-01-02T09:30:00.000Z', 'angry', 0.7));
  });
  after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists only the owner rows, newest first, with the total', () => {
    const { items, total } = listPredictions(db, alice, { limit: 2, offset: 0 });
    assert.equal(total, 3);
    assert.deepEqual(
      items.map((p) => p.createdAt),
      ['2026-01-02T09:00:00.000Z', '2026-01-01T12:00:00.000Z'],
    );
    assert.ok(items.every((p) => p.userId === alice));
    const page2 = listPredictions(db, alice, { limit: 2, offset: 2 });
    assert.equal(page2.items.length, 1);
    assert.deepEqual(page2.items[0]?.faces[0]?.box, { x: 1, y: 2, width: 30, height: 40 });
  });

  it('filters by emotion, confidence range and time range', () => {
    const happy = listPredictions(db, alice, { limit: 10, offset: 0, emotion: 'happy' });
    assert.equal(happy.total, 2);
    const confident = listPredictions(db, alice, {
      limit: 10,
      offset: 0,
      minConfidence: 0.5,
      maxConfidence: 0.8,
    });
    assert.deepEqual(
      confident.items.map((p) => p.confidence),
      [0.6],
    );
    const day1 = listPredictions(db, alice, {
      limit: 10,
      offset: 0,
      from: '2026-01-01T00:00:00.000Z',
      toExclusive: '2026-01-02T00:00:00.000Z',
    });
    assert.equal(day1.total, 2);
  });

  it('finds and deletes only rows of their owner', () => {
    const bobs = listPredictions(db, bob, { limit: 10, offset: 0 }).items[0];
    assert.ok(bobs);
    assert.equal(findPrediction(db, alice, bobs.id), undefined);
    assert.equal(deletePrediction(db, alice, bobs.id), undefined);
    assert.equal(findPrediction(db, bob, bobs.id)?.emotion, 'angry');
    assert.equal(deletePrediction(db, bob, bobs.id)?.imageFile, bobs.imageFile);
    assert.equal(findPrediction(db, bob, bobs.id), undefined);
  });

  it('counts by emotion and by UTC day', () => {
    const stats = predictionStats(db, alice);
    assert.equal(stats.total, 3);
    assert.deepEqual(stats.byEmotion, { ...zeroCounts(), happy: 2, sad: 1 });
    assert.deepEqual(
      stats.byDay.map((d) => [d.date, d.count, d.byEmotion.happy]),
      [
        ['2026-01-01', 2, 1],
        ['2026-01-02', 1, 1],
      ],
    );
    assert.deepEqual(predictionStats(db, 'nobody'), { total: 0, byEmotion: zeroCounts(), byDay: [] });
  });
});
