import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SseParser } from '../../src/server/sse.js';

describe('SseParser', () => {
  it('parses id, event and data fields and dispatches on a blank line', () => {
    const p = new SseParser();
    const events = p.push('id: 7\nevent: revocation\ndata: {"id":"7"}\n\n');
    assert.deepEqual(events, [{ event: 'revocation', data: '{"id":"7"}', lastEventId: '7' }]);
    assert.equal(p.lastEventId, '7');
  });

  it('joins multi-line data with \\n and defaults the event type to message', () => {
    const p = new SseParser();
    assert.deepEqual(p.push('data: a\ndata:b\ndata:  c\n\n'), [
      { event: 'message', data: 'a\nb\n c', lastEventId: '' },
    ]);
  });

  it('skips comments, reads retry, ignores unknown fields and events without data', () => {
    const p = new SseParser();
    const events = p.push('retry: 2000\n: connected\n\n: heartbeat\nfoo: bar\nid: 3\n\nretry: x1\n');
    assert.deepEqual(events, []);
    assert.equal(p.retryMs, 2000);
    assert.equal(p.comments, 2);
    assert.equal(p.lastEventId, '3', 'an id without data still moves the last event id');
  });

  it('handles chunks split anywhere, CRLF split across chunks, CR-only lines and a BOM', () => {
    const text = '\uFEFFid: 1\r\nevent: revocation\r\ndata: x\r\n\r\nid: 2\rdata: y\r\r';
    for (let size = 1; size <= text.length; size++) {
      const p = new SseParser();
      const out = [];
      for (let i = 0; i < text.length; i += size) out.push(...p.push(text.slice(i, i + size)));
      assert.deepEqual(
        out,
        [
          { event: 'revocation', data: 'x', lastEventId: '1' },
          { event: 'message', data: 'y', lastEventId: '2' },
        ],
        `chunk size ${size}`,
      );
    }
  });

  it('keeps the last event id across events and ignores an id with NUL', () => {
    const p = new SseParser();
    const out = p.push('id: 5\ndata: a\n\ndata: b\n\nid: 6\u0000\ndata: c\n\n');
    assert.deepEqual(
      out.map((e) => e.lastEventId),
      ['5', '5', '5'],
    );
  });

  it('refuses an unbounded line', () => {
    const p = new SseParser(16);
    assert.throws(() => p.push('data: 0123456789abcdefghij'), /too long/);
  });
});
