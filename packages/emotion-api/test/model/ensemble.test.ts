import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EMOTIONS } from '@emotion-app/protocol';
import {
  combine,
  ENSEMBLE,
  ensemble,
  FLOOR,
  MIRROR_BELOW,
  type MemberScores,
  needsMirror,
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

  it('is the fitted log-linear pool of the members, each averaged with its mirror image', () => {
    const [scores] = rows(1) as [MemberScores];
    const offsets = Object.fromEntries(EMOTIONS.map((e, i) => [e, i / 10])) as Probabilities;
    const p = ensemble(scores, { human: 0.6, faceapi: 0.3, offsets });
    const raw = EMOTIONS.map((e) =>
      Math.exp(
        0.6 * Math.log((scores.human[e] + scores.humanMirror[e]) / 2 + FLOOR) +
          0.3 * Math.log((scores.faceapi[e] + scores.faceapiMirror[e]) / 2 + FLOOR) +
          offsets[e],
      ),
    );
    const total = raw.reduce((a, b) => a + b, 0);
    EMOTIONS.forEach((e, i) => {
      assert.ok(Math.abs(p[e] - (raw[i] as number) / total) < 1e-12, e);
    });
  });

  it('follows the members: the label both networks are sure of wins whatever the offsets', () => {
    const sure = dist([0, 0.01, 0, 0, 0.01, 0.98, 0]);
    const p = ensemble({ human: sure, humanMirror: sure, faceapi: sure, faceapiMirror: sure });
    assert.equal(Object.entries(p).sort((a, b) => b[1] - a[1])[0]?.[0], 'sad');
  });

  it('answers one network alone for the human and faceapi models, without its mirror image', () => {
    const [scores] = rows(1) as [MemberScores];
    assert.deepEqual(combine('human', scores), normalise(scores.human));
    assert.deepEqual(combine('faceapi', scores), normalise(scores.faceapi));
  });

  it('asks for the mirror images only when its answer without them is below MIRROR_BELOW', () => {
    const sure = dist([0, 0, 0, 0.97, 0.03, 0, 0]);
    assert.equal(needsMirror({ human: sure, humanMirror: sure, faceapi: sure, faceapiMirror: sure }), false);
    const torn = dist([0.4, 0, 0, 0, 0.3, 0.3, 0]);
    const other = dist([0, 0, 0, 0, 0.5, 0.5, 0]);
    const scores = { human: torn, humanMirror: torn, faceapi: other, faceapiMirror: other };
    assert.ok(Math.max(...Object.values(ensemble(scores))) < MIRROR_BELOW);
    assert.equal(needsMirror(scores), true);
  });

  it('has positive weights and offsets for all seven labels', () => {
    assert.ok(ENSEMBLE.human > 0 && ENSEMBLE.faceapi > 0);
    assert.deepEqual(Object.keys(ENSEMBLE.offsets).sort(), [...EMOTIONS].sort());
  });
});
