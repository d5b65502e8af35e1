import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attachmentName, detectQuery } from '../../src/api/detections.js';

test('attachmentName reads the file name of a Content-Disposition header', () => {
  assert.equal(
    attachmentName('attachment; filename="emotions-2025-01-31.csv"', 'x.csv'),
    'emotions-2025-01-31.csv',
  );
  assert.equal(attachmentName('attachment; filename=emotions.json', 'x.json'), 'emotions.json');
  assert.equal(
    attachmentName("attachment; filename*=UTF-8''emotions%20today.csv", 'x.csv'),
    'emotions today.csv',
  );
});

test('attachmentName falls back without a usable name', () => {
  assert.equal(attachmentName(null, 'emotions.csv'), 'emotions.csv');
  assert.equal(attachmentName('attachment', 'emotions.csv'), 'emotions.csv');
  assert.equal(attachmentName('attachment; filename="../etc/passwd"', 'emotions.csv'), 'emotions.csv');
});

test('detectQuery names the chosen model, or nothing for the default', () => {
  assert.deepEqual(detectQuery('faceapi'), { model: 'faceapi' });
  assert.deepEqual(detectQuery(null), {});
  assert.deepEqual(detectQuery(undefined), {});
  assert.deepEqual(detectQuery(''), {});
});
