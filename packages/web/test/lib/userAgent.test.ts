import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeUserAgent } from '../../src/lib/userAgent.js';

test('names common browsers and systems', () => {
  assert.equal(
    describeUserAgent(
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
    ),
    'Chrome on Linux',
  );
  assert.equal(
    describeUserAgent(
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
    ),
    'Safari on iOS',
  );
  assert.equal(
    describeUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0'),
    'Firefox on Windows',
  );
  assert.equal(describeUserAgent('curl/8.5.0'), 'Script');
  assert.equal(describeUserAgent(null), 'Unknown device');
});
