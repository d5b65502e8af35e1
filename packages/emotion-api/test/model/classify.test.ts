import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { EMOTIONS } from '@emotion-app/protocol';
import { needs } from '../../src/model/classify.js';
import { ensemble, type MemberScores, needsMirror } from '../../src/model/ensemble.js';
import { Inference } from '../../src/model/infer.js';
import { decodedPhotos } from '../helpers/photos.js';
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

describe('the ensemble reads mirror images only for faces it is unsure of (real networks)', () => {
  let inference: Inference;
  before(async () => {
    inference = await Inference.create();
  });

  it('answers exactly the pool with mirrors when unsure and the pool of the crops alone when sure', async () => {
    const branches = { mirrored: 0, skipped: 0 };
    for (const { name, raw } of await decodedPhotos()) {
      const [all] = (await inference.memberScores(raw)) as [MemberScores];
      const cropOnly = { ...all, humanMirror: all.human, faceapiMirror: all.faceapi };
      const unsure = needsMirror(cropOnly);
      branches[unsure ? 'mirrored' : 'skipped']++;
      const expected = ensemble(unsure ? all : cropOnly);
      const [face] = await inference.detectPixels(raw, 'ensemble');
      for (const e of EMOTIONS) {
        assert.ok(Math.abs((face?.probabilities[e] ?? -1) - expected[e]) < 1e-5, `${name} ${e}`);
      }
    }
    assert.ok(branches.mirrored > 0 && branches.skipped > 0, JSON.stringify(branches));
  });
});
