/** A request loop that records every answer with its time, for the fault tests. */
export function loop(name, request, { pauseMs = 20 } = {}) {
  const results = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const sent = Date.now();
      let status;
      let code;
      let extra;
      try {
        const res = await request();
        status = res.status;
        code = res.body?.code;
        extra = res.extra;
      } catch (err) {
        status = 0;
        code = err.name === 'TimeoutError' ? 'timeout' : err.message;
      }
      results.push({ name, sent, at: Date.now(), status, code, extra });
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  })();
  return {
    results,
    async stop() {
      running = false;
      await done;
      return results;
    },
  };
}

export function summary(results) {
  const counts = {};
  for (const r of results) {
    const key = `${r.status}${r.code ? ` ${r.code}` : ''}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  const slowest = Math.max(0, ...results.map((r) => r.at - r.sent));
  const answers = Object.entries(counts).map(([k, n]) => `${k}: ${n}`);
  return `${answers.join(', ')} (slowest ${slowest} ms)`;
}
