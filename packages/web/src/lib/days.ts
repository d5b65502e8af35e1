/** Day-by-day counts with the missing days filled in as zero, so a chart reads as a timeline. */
export function fillDays(
  byDay: readonly { date: string; count: number }[],
  options: { minDays?: number; today?: string } = {},
): { date: string; count: number }[] {
  const minDays = options.minDays ?? 14;
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const counts = new Map<string, number>();
  for (const day of byDay) counts.set(day.date, (counts.get(day.date) ?? 0) + day.count);
  const dates = [...counts.keys(), today].sort();
  const last = dates[dates.length - 1] ?? today;
  const lastTime = Date.parse(`${last}T00:00:00Z`);
  const earliest = Math.min(
    Date.parse(`${dates[0] ?? today}T00:00:00Z`),
    lastTime - (minDays - 1) * 86_400_000,
  );
  const result: { date: string; count: number }[] = [];
  for (let time = earliest; time <= lastTime; time += 86_400_000) {
    const date = new Date(time).toISOString().slice(0, 10);
    result.push({ date, count: counts.get(date) ?? 0 });
  }
  return result;
}
