/** A minimal Server-Sent Events reader over fetch, for the revocation stream tests. */

export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

export interface SseConnection {
  status: number;
  headers: Headers;
  /** The problem body when the answer was not a stream. */
  body?: unknown;
  /** Every line received so far (comments and fields alike). */
  lines: string[];
  messages: SseMessage[];
  /** Resolves with the first message (already received or later) matching `match`, or rejects after `timeoutMs`. */
  next(match: (m: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  /** Resolves when a line matching `match` arrives (comments like `: heartbeat`). */
  line(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseConnection> {
  const abort = new AbortController();
  const res = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  const lines: string[] = [];
  const messages: SseMessage[] = [];
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  let body: unknown;
  let ended: Promise<void> = Promise.resolve();
  if (!String(res.headers.get('content-type')).startsWith('text/event-stream')) {
    body = await res.json();
  } else if (res.body) {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    ended = (async () => {
      let buffer = '';
      let current: SseMessage = { data: '' };
      let hasData = false;
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let nl = buffer.indexOf('\n');
          while (nl >= 0) {
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            lines.push(line);
            if (line === '') {
              if (hasData) messages.push(current);
              current = { data: '' };
              hasData = false;
            } else if (!line.startsWith(':')) {
              const colon = line.indexOf(':');
              const field = colon < 0 ? line : line.slice(0, colon);
              const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
              if (field === 'data') {
                current.data = hasData ? `${current.data}\n${val}` : val;
                hasData = true;
              } else if (field === 'id') current.id = val;
              else if (field === 'event') current.event = val;
            }
            nl = buffer.indexOf('\n');
          }
          notify();
        }
      } catch {
        // aborted
      }
      notify();
    })();
  }
  function waitFor<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found !== undefined) {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${what} within ${timeoutMs} ms; lines: ${JSON.stringify(lines)}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  }
  return {
    status: res.status,
    headers: res.headers,
    body,
    lines,
    messages,
    next: (match, timeoutMs = 2000) => waitFor(() => messages.find(match), timeoutMs, 'matching event'),
    line: (match, timeoutMs = 2000) => waitFor(() => lines.find(match), timeoutMs, 'matching line'),
    ended,
    close: () => abort.abort(),
  };
}
