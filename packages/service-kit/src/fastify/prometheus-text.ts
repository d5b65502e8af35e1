/**
 * A strict reader of the Prometheus text exposition format (0.0.4) for tests: every line is a
 * well-formed HELP, TYPE, comment or `name{labels} value [timestamp]` sample; a family's TYPE
 * comes before its samples; no sample is repeated; histogram buckets are cumulative, their `le`
 * ascending and ending in `+Inf`, which equals `_count`.
 */

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*';
const LABEL_VALUE = '"(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
// Go's ParseFloat, as the format says: Inf and NaN in any case (prom-client writes `Nan`).
const NUMBER =
  '(?:[+-]?(?:[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN])|[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)';
const SAMPLE = new RegExp(
  `^(${NAME})(?:\\{((?:${LABEL}=${LABEL_VALUE})(?:,${LABEL}=${LABEL_VALUE})*,?)?\\})? (${NUMBER})(?: (-?\\d+))?$`,
);
const HELP = new RegExp(`^# HELP (${NAME}) ((?:[^\\\\\\n]|\\\\[\\\\n])*)$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const PAIR = new RegExp(`(${LABEL})=(${LABEL_VALUE})`, 'g');

/** One sample line, parsed. */
export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** What {@link parsePrometheusText} found: the samples, each family's type, and every problem. */
export interface PrometheusText {
  samples: PrometheusSample[];
  types: Map<string, string>;
  problems: string[];
}

const SUFFIXES: Record<string, readonly string[]> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

function parseValue(raw: string): number {
  if (/^\+?inf/i.test(raw)) return Number.POSITIVE_INFINITY;
  if (/^-inf/i.test(raw)) return Number.NEGATIVE_INFINITY;
  return /nan/i.test(raw) ? Number.NaN : Number(raw);
}

function parseLabels(raw: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [, name, value] of (raw ?? '').matchAll(PAIR)) {
    if (name && value) labels[name] = JSON.parse(value) as string;
  }
  return labels;
}

/** The family (name in HELP/TYPE) a sample belongs to, given the types declared so far. */
function familyOf(name: string, types: Map<string, string>): string {
  for (const [type, suffixes] of Object.entries(SUFFIXES)) {
    for (const suffix of suffixes) {
      const base = suffix ? name.slice(0, -suffix.length) : name;
      if (name.endsWith(suffix) && types.get(base) === type) return base;
    }
  }
  return name;
}

function labelKey(labels: Record<string, string>, without?: string): string {
  return JSON.stringify(
    Object.entries(labels)
      .filter(([name]) => name !== without)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

function checkHistograms(text: PrometheusText): void {
  const series = new Map<string, { le: number; value: number }[]>();
  const counts = new Map<string, number>();
  for (const { name, labels, value } of text.samples) {
    const family = familyOf(name, text.types);
    if (text.types.get(family) !== 'histogram') continue;
    const key = `${family} ${labelKey(labels, 'le')}`;
    if (name === `${family}_count`) counts.set(key, value);
    if (name !== `${family}_bucket`) continue;
    if (labels.le === undefined) {
      text.problems.push(`${name}: a bucket without an "le" label`);
      continue;
    }
    series.set(key, [...(series.get(key) ?? []), { le: parseValue(labels.le), value }]);
  }
  for (const [key, buckets] of series) {
    buckets.forEach((bucket, i) => {
      const previous = buckets[i - 1];
      if (previous && !(bucket.le > previous.le)) text.problems.push(`${key}: le not ascending`);
      if (previous && bucket.value < previous.value) text.problems.push(`${key}: buckets not cumulative`);
    });
    const last = buckets.at(-1);
    if (last?.le !== Number.POSITIVE_INFINITY) text.problems.push(`${key}: no le="+Inf" bucket last`);
    else if (counts.has(key) && counts.get(key) !== last.value) {
      text.problems.push(`${key}: _count ${counts.get(key)} differs from the +Inf bucket ${last.value}`);
    }
  }
}

/** Parses exposition text, collecting every deviation from the format in `problems`. */
export function parsePrometheusText(body: string): PrometheusText {
  const text: PrometheusText = { samples: [], types: new Map(), problems: [] };
  if (!body.endsWith('\n')) text.problems.push('the text does not end with a newline');
  const seen = new Set<string>();
  const sampled = new Set<string>();
  body.split('\n').forEach((line, index) => {
    const at = `line ${index + 1}`;
    if (line === '') return;
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) {
      const type = TYPE.exec(line);
      if (line.startsWith('# HELP ') ? !HELP.test(line) : !type)
        text.problems.push(`${at}: malformed "${line}"`);
      if (!type?.[1] || !type[2]) return;
      if (text.types.has(type[1])) text.problems.push(`${at}: a second TYPE for ${type[1]}`);
      if (sampled.has(type[1])) text.problems.push(`${at}: TYPE of ${type[1]} after its samples`);
      text.types.set(type[1], type[2]);
      return;
    }
    if (line.startsWith('#')) return;
    const match = SAMPLE.exec(line);
    if (!match?.[1] || match[3] === undefined) {
      text.problems.push(`${at}: not "name{labels} value": "${line}"`);
      return;
    }
    const sample = { name: match[1], labels: parseLabels(match[2]), value: parseValue(match[3]) };
    const key = `${sample.name} ${labelKey(sample.labels)}`;
    if (seen.has(key)) text.problems.push(`${at}: repeated sample ${key}`);
    seen.add(key);
    sampled.add(familyOf(sample.name, text.types));
    text.samples.push(sample);
  });
  checkHistograms(text);
  return text;
}

/**
 * Parses exposition text and throws an Error listing every problem, if any.
 *
 * @example
 * ```ts
 * const { samples } = assertPrometheusText(await (await fetch(`${url}/metrics`)).text());
 * ```
 */
export function assertPrometheusText(body: string): PrometheusText {
  const text = parsePrometheusText(body);
  if (text.problems.length > 0) {
    throw new Error(`invalid Prometheus text:\n  - ${text.problems.join('\n  - ')}`);
  }
  return text;
}
