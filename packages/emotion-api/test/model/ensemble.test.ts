import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EMOTIONS } from '@emotion-app/protocol';
import {
  combine,
  ENSEMBLE,
  ensemble,
  type MemberScores,
  normalise,
  type Probabilities,
} from '../../src/model/ensemble.js';

function dist(values: number[]): Probabilities {
  return normalise(Object.fromEntries(EMOTIONS.map((e, i) => [e, values[i] ?? 0])) as Probabilities);
}

function assertDistribution(p: Probabilities): void {
  assert.deepEqual(Object.keys(p).sort(), [...EMOTIONS].sort());
  for (const e of EMOTIONS) assert.ok(p[e] >= 0 && p[e] <= 1, `${e}: ${p[e]}`);
  assert.ok(Math.abs(EMOTIONS.reduce((s, e) => s + p[e], 0) - 1) < 1e-9);
}

/** Deterministic pseudo-random rows (no flaky seeds). */
function rows(n: number): MemberScores[] {
  let x = 7;
  const next = () => {
    x = (x * 48271) % 2147483647;
    return x / 2147483647;
  };
  const row = () => dist(EMOTIONS.map(next));
  return Array.from({ length: n }, () => ({
    human: row(),
    humanMirror: row(),
    faceapi: row(),
    faceapiMirror: row(),
  }));
}

describe('the ensemble', () => {
  it('answers a distribution over the seven labels for every model', () => {
    for (const scores of rows(200))
      for (const model of ['ensemble', 'human', 'faceapi']) assertDistribution(combine(model, scores));
  });

  it('stays a distribution when a member is certain or all zero', () => {
    const certain = dist([0, 0, 0, 1, 0, 0, 0]);
    const zero = Object.fromEntries(EMOTIONS.map((e) => [e, 0])) as Probabilities;
    assertDistribution(
      ensemble({ human: certain, humanMirror: certain, faceapi: zero, faceapiMirror: zero }),
    );
    assertDistribution(normalise(zero));
  });

  it('is the weighted average of the members, each with its mirror image, renormalised', () => {
    const [scores] = rows(1) as [MemberScores];
    const p = ensemble(scores, { human: 0.3, mirror: true });
    for (const e of EMOTIONS) {
      const expected =
        (0.3 * (scores.human[e] + scores.humanMirror[e])) / 2 +
        (0.7 * (scores.faceapi[e] + scores.faceapiMirror[e])) / 2;
      assert.ok(Math.abs(p[e] - expected) < 1e-12, e);
    }
    const plain = ensemble(scores, { human: 0.3, mirror: false });
    for (const e of EMOTIONS)
      assert.ok(Math.abs(plain[e] - (0.3 * scores.human[e] + 0.7 * scores.faceapi[e])) < 1e-12, e);
  });

  it('answers one network alone for the human and faceapi models, without its mirror image', () => {
    const [scores] = rows(1) as [MemberScores];
    assert.deepEqual(combine('human', scores), normalise(scores.human));
    assert.deepEqual(combine('faceapi', scores), normalise(scores.faceapi));
  });

  it('has a weight between 0 and 1', () => {
    assert.ok(ENSEMBLE.human >= 0 && ENSEMBLE.human <= 1);
  });
});
