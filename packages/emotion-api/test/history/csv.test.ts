import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvField, csvRow } from '../../src/history/csv.js';

describe('csv (RFC 4180)', () => {
  it('leaves plain fields and numbers as they are', () => {
    assert.equal(csvField('happy'), 'happy');
    assert.equal(csvField(0.125), '0.125');
    assert.equal(csvField(''), '');
    assert.equal(csvField("it's; fine"), "it's; fine");
  });

  it('quotes a field with a comma, a quote, CR or LF and doubles its quotes', () => {
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('line\nbreak'), '"line\nbreak"');
    assert.equal(csvField('cr\rhere'), '"cr\rhere"');
    assert.equal(csvField('a, "b"\r\nc'), '"a, ""b""\r\nc"');
  });

  it('ends every record with CRLF', () => {
    assert.equal(csvRow(['id', 'x,y', 1, '"q"']), 'id,"x,y",1,"""q"""\r\n');
    assert.equal(csvRow([]), '\r\n');
  });
});
