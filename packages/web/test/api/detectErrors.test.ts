import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../src/api/problem.js';
import { detectErrorMessage } from '../../src/api/detectErrors.js';

test('each detection failure has its own explanation', () => {
  const cases: [string, number, RegExp][] = [
    ['no_face_detected', 422, /No face found/],
    ['low_confidence', 422, /Not sure/],
    ['payload_too_large', 413, /too large/],
    ['image_too_large', 413, /too large/],
    ['unsupported_media_type', 415, /Not a supported image/],
    ['rate_limited', 429, /Too many/],
  ];
  for (const [code, status, title] of cases) {
    assert.match(detectErrorMessage(new ApiError({ status, code, title: code })).title, title, code);
  }
});

test('a big upload cut off without an answer is reported as too large', () => {
  assert.equal(
    detectErrorMessage(
      new ApiError({ status: 0, code: 'network_error', title: 'Network error' }),
      6 * 1024 * 1024,
    ).title,
    'Photo too large',
  );
  assert.equal(
    detectErrorMessage(new ApiError({ status: 0, code: 'network_error', title: 'Network error' }), 50_000)
      .title,
    'Detection failed',
  );
});

test('rate limiting says how long to wait when the server tells', () => {
  const message = detectErrorMessage(
    new ApiError({ status: 429, code: 'rate_limited', title: 'Too many requests', retryAfterSec: 12 }),
  ).message;
  assert.match(message, /12 seconds/);
});
