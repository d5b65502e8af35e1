/** The bodies of GET /logs/export: RFC 4180 CSV or a JSON array of /logs items, produced lazily in chunks. */
import { EMOTIONS } from '@emotion-app/protocol';
import { EXPORT_CSV_COLUMNS, type ExportFormat } from '@emotion-app/protocol/emotion';
import { type Prediction, toDetection } from '../predictions/predictions.table.js';
import { csvRow } from './csv.js';

/** Rows written to the stream per chunk: few writes, memory bounded by one page. */
const ROWS_PER_CHUNK = 200;

/** A prediction as one CSV record; the seven columns are the top face's probabilities. */
function csvRecord(p: Prediction): string {
  return csvRow([
    p.id,
    p.createdAt,
    p.emotion,
    p.confidence,
    p.faces.length,
    ...EMOTIONS.map((e) => p.probabilities[e]),
  ]);
}

/** Joins what `encode` makes of each row into chunks of ROWS_PER_CHUNK rows. */
async function* chunks(rows: AsyncIterable<Prediction>, encode: (p: Prediction, index: number) => string) {
  let chunk = '';
  let index = 0;
  for await (const row of rows) {
    chunk += encode(row, index++);
    if (index % ROWS_PER_CHUNK === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

async function* csvBody(rows: AsyncIterable<Prediction>): AsyncGenerator<string> {
  yield csvRow(EXPORT_CSV_COLUMNS);
  yield* chunks(rows, csvRecord);
}

async function* jsonBody(rows: AsyncIterable<Prediction>): AsyncGenerator<string> {
  yield '[';
  yield* chunks(rows, (p, i) => (i === 0 ? '' : ',') + JSON.stringify(toDetection(p)));
  yield ']';
}

/** The export of `rows` in `format`, as text chunks for a stream. */
export function exportBody(format: ExportFormat, rows: AsyncIterable<Prediction>): AsyncGenerator<string> {
  return format === 'csv' ? csvBody(rows) : jsonBody(rows);
}
