import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProblemError } from '@emotion-app/protocol';
import { toPredictionQuery } from '../../src/history/history.filters.js';

function rejectsField(filter: Parameters<typeof toPredictionQuery>[0], path: string): void {
  assert.throws(
    () => toPredictionQuery(filter),
    (err: unknown) => {
      assert.ok(err instanceof ProblemError);
      assert.equal(err.status, 400);
      assert.equal(err.code, 'validation_failed');
      assert.equal(err.errors?.[0]?.path, path);
      return true;
    },
  );
}

describe('history filters (toPredictionQuery)', () => {
  it('passes emotion and the confidence range through', () => {
    assert.deepEqual(toPredictionQuery({ emotion: 'sad', minConfidence: 0.2, maxConfidence: 0.2 }), {
      emotion: 'sad',
      minConfidence: 0.2,
      maxConfidence: 0.2,
    });
    assert.deepEqual(toPredictionQuery({}), {});
  });

  it('reads a bare from date as that UTC midnight and a bare to date as the next one (whole day included)', () => {
    assert.deepEqual(toPredictionQuery({ from: '2026-02-28', to: '2026-02-28' }), {
      from: '2026-02-28T00:00:00.000Z',
      toExclusive: '2026-03-01T00:00:00.000Z',
    });
  });

  it('takes date-times as instants, in any offset, with to exclusive', () => {
    assert.deepEqual(toPredictionQuery({ from: '2026-01-01T10:00+02:00', to: '2026-01-01T12:30:15.5Z' }), {
      from: '2026-01-01T08:00:00.000Z',
      toExclusive: '2026-01-01T12:30:15.500Z',
    });
  });

  it('refuses what is no date, an impossible date, an empty range and min above max', () => {
    rejectsField({ from: 'yesterday' }, 'from');
    rejectsField({ to: '2026-02-30' }, 'to');
    rejectsField({ from: '2026-01-02', to: '2026-01-01' }, 'from');
    rejectsField({ from: '2026-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'from');
    rejectsField({ minConfidence: 0.6, maxConfidence: 0.5 }, 'minConfidence');
  });
});
