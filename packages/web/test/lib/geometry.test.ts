import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toFractions } from '../../src/lib/geometry.js';

test('pixel boxes become fractions of the image', () => {
  assert.deepEqual(toFractions({ x: 100, y: 50, width: 200, height: 100 }, { width: 400, height: 200 }), {
    x: 0.25,
    y: 0.25,
    width: 0.5,
    height: 0.5,
  });
});

test('already normalised boxes are kept', () => {
  const box = { x: 0.1, y: 0.2, width: 0.3, height: 0.4 };
  assert.deepEqual(toFractions(box, { width: 640, height: 480 }), box);
});

test('boxes reaching past the edge are clipped to the image', () => {
  const box = toFractions({ x: 300, y: -20, width: 200, height: 100 }, { width: 400, height: 200 });
  assert.equal(box.x, 0.75);
  assert.equal(box.y, 0);
  assert.equal(box.width, 0.25);
  assert.equal(box.height, 0.5);
});
