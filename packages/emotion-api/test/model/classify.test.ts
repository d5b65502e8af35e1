import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needs } from '../../src/model/classify.js';
import { MODEL_IDS } from '../../src/models/models.catalogue.js';

describe('which networks each catalogue model runs', () => {
  it('runs one network for a single-network model and both (mirror images as fitted) for the ensemble', () => {
    assert.deepEqual(needs('human'), { human: true, faceapi: false, mirror: false });
    assert.deepEqual(needs('faceapi'), { human: false, faceapi: true, mirror: false });
    assert.deepEqual(needs('ensemble'), { human: true, faceapi: true, mirror: true });
  });

  it('runs at least one network for every catalogue id', () => {
    for (const id of MODEL_IDS) {
      const need = needs(id);
      assert.ok(need.human || need.faceapi, id);
    }
  });
});
