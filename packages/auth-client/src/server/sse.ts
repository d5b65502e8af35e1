/**
 * A small incremental parser of Server-Sent Events (the WHATWG HTML "event stream"
 * interpretation): `id:`, `event:`, `data:` and `retry:` fields, comment lines, LF / CR / CRLF
 * line ends (also split across chunks) and a leading BOM. Used by the revocation feed, which reads
 * the stream from fetch's body rather than through `EventSource` (Node has none, and
 * `EventSource` cannot send an `Authorization` header).
 */

/** One dispatched event. */
export interface SseEvent {
  /** The event type: the last `event:` field, else `'message'`. */
  event: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
  /** The last event id after this event (the stream's `id:` state, which persists across events). */
  lastEventId: string;
}

/**
 * Parses an event stream fed in text chunks of any size.
 *
 * @example
 * ```ts
 * const parser = new SseParser();
 * for (const e of parser.push('id: 7\nevent: revocation\ndata: {"id":"7"}\n\n')) {
 *   console.log(e.event, e.lastEventId, JSON.parse(e.data)); // 'revocation' '7' { id: '7' }
 * }
 * parser.retryMs; // the last valid `retry:` value, or undefined
 * ```
 */
export class SseParser {
  /** The last valid `retry:` field in milliseconds, if the server sent one. */
  retryMs: number | undefined;
  /** The stream's last event id (what `Last-Event-ID` resumes from). */
  lastEventId = '';
  /** Comment lines seen (without the leading colon), for diagnostics; bounded. */
  comments = 0;

  #buffer = '';
  #start = true;
  #skipLf = false;
  #data: string[] = [];
  #event = '';
  readonly #maxLineLength: number;

  /** @param maxLineLength a line longer than this throws (guards memory against a hostile stream); default 1 MiB. */
  constructor(maxLineLength = 1 << 20) {
    this.#maxLineLength = maxLineLength;
  }

  /** Feeds a chunk; returns the events completed by it (possibly none). */
  push(chunk: string): SseEvent[] {
    let text = chunk;
    if (this.#start && text.length > 0) {
      this.#start = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.#skipLf && text.startsWith('\n')) text = text.slice(1);
    this.#skipLf = false;
    const out: SseEvent[] = [];
    let buffer = this.#buffer + text;
    let pos = 0;
    for (;;) {
      const cr = buffer.indexOf('\r', pos);
      const lf = buffer.indexOf('\n', pos);
      const end = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
      if (end < 0) break;
      this.#line(buffer.slice(pos, end), out);
      if (buffer.charCodeAt(end) === 13) {
        if (end + 1 === buffer.length) {
          this.#skipLf = true; // a CRLF split between two chunks
          pos = end + 1;
          break;
        }
        pos = buffer.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
      } else {
        pos = end + 1;
      }
    }
    buffer = buffer.slice(pos);
    if (buffer.length > this.#maxLineLength) throw new Error('event stream line too long');
    this.#buffer = buffer;
    return out;
  }

  #line(line: string, out: SseEvent[]): void {
    if (line === '') {
      this.#dispatch(out);
      return;
    }
    if (line.charCodeAt(0) === 58 /* : */) {
      this.comments++;
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case 'data':
        this.#data.push(value);
        break;
      case 'event':
        this.#event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default: // unknown fields are ignored
    }
  }

  #dispatch(out: SseEvent[]): void {
    const event = this.#event || 'message';
    const data = this.#data;
    this.#event = '';
    this.#data = [];
    if (data.length === 0) return;
    out.push({ event, data: data.join('\n'), lastEventId: this.lastEventId });
  }
}
