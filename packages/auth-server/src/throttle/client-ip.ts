/**
 * The unit a per-IP limit counts: one IPv4 address, or one IPv6 /64 (the smallest network an ISP
 * or cloud hands out, so a client rotating through its own /64 still shares one budget).
 */
import { isIP } from 'node:net';

/**
 * The throttle bucket of a client address: an IPv4 address as is, an IPv4-mapped IPv6 address
 * (`::ffff:1.2.3.4`, as a dual-stack socket reports IPv4 clients) as its IPv4 address, any other
 * IPv6 address as its /64 prefix (`2001:db8:1:2::/64`), anything else (not an IP) trimmed and
 * lower-cased.
 *
 * @example
 * ```ts
 * ipBucket('2001:db8:0:1:aaaa::1'); // '2001:db8:0:1::/64'
 * ipBucket('::ffff:192.0.2.7'); // '192.0.2.7'
 * ```
 */
export function ipBucket(address: string): string {
  const ip = address.trim().toLowerCase();
  const zoneless = ip.split('%', 1)[0] ?? ip;
  const family = isIP(zoneless);
  if (family === 4) return zoneless;
  if (family !== 6) return ip;
  const words = ipv6Words(zoneless);
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) {
    const [hi = 0, lo = 0] = words.slice(6);
    return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  }
  return `${words
    .slice(0, 4)
    .map((w) => w.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit words of a valid IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
function ipv6Words(ip: string): number[] {
  let text = ip;
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const zeros = rest === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((w) => Number.parseInt(w, 16));
}
