import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EMOTIONS } from '@emotion-app/protocol';
import { MODEL_LABELS, toProbabilities, topEmotion } from '../../src/model/scores.js';

describe('model scores', () => {
  it("maps the model's output order onto the seven labels", () => {
    assert.deepEqual([...MODEL_LABELS].sort(), [...EMOTIONS].sort());
    // The model's order: angry, disgust, fear, happy, sad, surprise, neutral.
    const p = toProbabilities([0, 0, 0, 0, 0, 0, 1]);
    assert.equal(p.neutral, 1);
    assert.equal(toProbabilities([0, 0, 0, 0, 1, 0, 0]).sad, 1);
    assert.deepEqual(Object.keys(p), [...EMOTIONS]);
  });

  it('renormalises a row to sum to 1, negative scores counting as 0', () => {
    const p = toProbabilities([2, -1, 0, 6, 0, 0, 2]);
    assert.deepEqual(p, { angry: 0.2, disgust: 0, fear: 0, happy: 0.6, neutral: 0.2, sad: 0, surprise: 0 });
  });

  it('answers a uniform distribution for a row without a positive score', () => {
    const p = toProbabilities([0, -1, 0, 0, 0, 0, 0]);
    for (const e of EMOTIONS) assert.equal(p[e], 1 / 7);
  });

  it('reads only the first seven scores of a longer view', () => {
    const row = new Float32Array([1, 0, 0, 0, 0, 0, 0, 99, 99]);
    assert.equal(toProbabilities(row).angry, 1);
  });

  it('picks the most probable label, the first in EMOTIONS order on a tie', () => {
    assert.equal(topEmotion(toProbabilities([1, 0, 0, 5, 0, 0, 2])), 'happy');
    const tie = { angry: 0, disgust: 0, fear: 0.5, happy: 0, neutral: 0, sad: 0.5, surprise: 0 };
    assert.equal(topEmotion(tie), 'fear');
    assert.equal(topEmotion(toProbabilities([0, 0, 0, 0, 0, 0, 0])), 'angry');
  });
});
