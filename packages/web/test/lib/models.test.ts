import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ModelInfo } from '../../src/api/types.js';
import { chosenModelId, defaultModelId, modelName } from '../../src/lib/models.js';

const model = (id: string, isDefault = false): ModelInfo => ({
  id,
  name: id.charAt(0).toUpperCase() + id.slice(1),
  description: `the ${id} model`,
  default: isDefault,
});
const CATALOGUE = [model('human'), model('faceapi'), model('ensemble', true)];

describe('the model choice', () => {
  test("preselects the catalogue's default, else its first model", () => {
    assert.equal(defaultModelId(CATALOGUE), 'ensemble');
    assert.equal(defaultModelId([model('human'), model('faceapi')]), 'human');
    assert.equal(defaultModelId([model('human', true)]), 'human');
    assert.equal(defaultModelId([]), null);
    assert.equal(defaultModelId(undefined), null);
  });

  test("sends the user's pick while the catalogue offers it, else the default", () => {
    assert.equal(chosenModelId(CATALOGUE, null), 'ensemble');
    assert.equal(chosenModelId(CATALOGUE, 'faceapi'), 'faceapi');
    assert.equal(chosenModelId(CATALOGUE, 'retired'), 'ensemble');
    assert.equal(chosenModelId([model('human', true)], 'faceapi'), 'human');
    // No catalogue (not loaded, or it failed): no model is sent, emotion-api uses its default.
    assert.equal(chosenModelId(undefined, 'faceapi'), null);
  });

  test("names a model by its catalogue name, an unknown or older row's by what it stored", () => {
    assert.equal(modelName('faceapi', CATALOGUE), 'Faceapi');
    assert.equal(modelName('human@3.3.6 blazeface+emotion', CATALOGUE), 'human@3.3.6 blazeface+emotion');
    assert.equal(modelName('human', undefined), 'human');
  });
});
