/** One CSV field per RFC 4180: quoted (quotes doubled) when it holds a comma, a quote, CR or LF. */
export function csvField(value: string | number | boolean): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record per RFC 4180, CRLF-terminated. */
export function csvRow(values: readonly (string | number | boolean)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
