/** Where to go after sign-in: only same-site paths, never "//evil.example" or "https://…". */
export function safeNext(next: string | null | undefined, fallback = '/detect'): string {
  if (typeof next !== 'string' || !next.startsWith('/')) return fallback;
  if (next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (next.startsWith('/sign-in') || next.startsWith('/sign-up')) return fallback;
  return next;
}
