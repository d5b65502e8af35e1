import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillDays } from '../../src/lib/days.js';

test('fills the missing days with zero up to today', () => {
  const days = fillDays([{ date: '2026-11-20', count: 2 }], { minDays: 3, today: '2026-11-22' });
  assert.deepEqual(days, [
    { date: '2026-11-20', count: 2 },
    { date: '2026-11-21', count: 0 },
    { date: '2026-11-22', count: 0 },
  ]);
});

test('shows at least minDays even with little data', () => {
  const days = fillDays([{ date: '2026-11-28', count: 1 }], { minDays: 14, today: '2026-11-28' });
  assert.equal(days.length, 14);
  assert.equal(days[0]?.date, '2026-11-15');
  assert.deepEqual(days[13], { date: '2026-11-28', count: 1 });
});

test('an empty history is a row of zeros', () => {
  const days = fillDays([], { minDays: 7, today: '2026-03-01' });
  assert.equal(days.length, 7);
  assert.equal(days[0]?.date, '2026-02-23');
  assert.ok(days.every((day) => day.count === 0));
});
