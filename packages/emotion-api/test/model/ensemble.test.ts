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

  it('is the weighted average of the members (mirror included) with per-label factors, renormalised', () => {
    const [scores] = rows(1) as [MemberScores];
    const weights = {
      views: { human: 0.1, humanMirror: 0.2, faceapi: 0.3, faceapiMirror: 0.4 },
      labels: { ...ENSEMBLE.labels, happy: 2 },
    };
    const p = ensemble(scores, weights);
    const raw = EMOTIONS.map(
      (e) =>
        weights.labels[e] *
        (0.1 * scores.human[e] +
          0.2 * scores.humanMirror[e] +
          0.3 * scores.faceapi[e] +
          0.4 * scores.faceapiMirror[e]),
    );
    const total = raw.reduce((a, b) => a + b, 0);
    for (const [i, e] of EMOTIONS.entries()) {
      assert.ok(Math.abs(p[e] - (raw[i] ?? 0) / total) < 1e-12, e);
    }
  });

  it('answers one network alone for the human and faceapi models, without its mirror image', () => {
    const [scores] = rows(1) as [MemberScores];
    assert.deepEqual(combine('human', scores), normalise(scores.human));
    assert.deepEqual(combine('faceapi', scores), normalise(scores.faceapi));
  });

  it('has view weights that are fractions summing to 1 and positive label factors', () => {
    const views = Object.values(ENSEMBLE.views);
    for (const w of views) assert.ok(w >= 0 && w <= 1);
    assert.ok(Math.abs(views.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    for (const e of EMOTIONS) assert.ok(ENSEMBLE.labels[e] > 0);
  });
});
