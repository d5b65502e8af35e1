/** The labelled image sets that eval and fit-ensemble read from the repository's fixtures/. */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { EMOTIONS, type Emotion } from '@emotion-app/protocol';

const fixtures = new URL('../../../fixtures/', import.meta.url);

export interface Sample {
  label: Emotion;
  name: string;
  bytes: Buffer;
}

function isEmotion(value: string): value is Emotion {
  return (EMOTIONS as readonly string[]).includes(value);
}

/**
 * `fixtures/<folder>/<label>/*`, file names sorted within each label. With `half`, every other
 * file of each label: `fit` the even positions (the ensemble's weights were fitted on them),
 * `eval` the odd ones (never used for fitting). With `limit`, at most that many per label, evenly spread.
 */
export async function labelled(
  folder: string,
  opts: { half?: 'fit' | 'eval'; limit?: number } = {},
): Promise<Sample[]> {
  const root = new URL(`${folder}/`, fixtures);
  if (!existsSync(root)) throw new Error(`${root.pathname} is missing`);
  const samples: Sample[] = [];
  for (const label of (await readdir(root)).sort()) {
    if (!isEmotion(label)) continue;
    let names = (await readdir(new URL(`${label}/`, root))).sort();
    if (opts.half) names = names.filter((_, i) => i % 2 === (opts.half === 'fit' ? 0 : 1));
    if (opts.limit !== undefined && names.length > opts.limit) {
      const step = names.length / opts.limit;
      names = Array.from({ length: opts.limit }, (_, i) => names[Math.floor(i * step)] as string);
    }
    for (const name of names) {
      samples.push({
        label,
        name: `${label}/${name}`,
        bytes: await readFile(new URL(`${label}/${name}`, root)),
      });
    }
  }
  return samples;
}

/** fixtures/faces: the five photos, labelled by the first word of the file name. */
export async function photos(): Promise<Sample[]> {
  const root = new URL('faces/', fixtures);
  const samples: Sample[] = [];
  for (const name of (await readdir(root)).sort()) {
    const label = name.toLowerCase().split(/[-_.]/)[0] ?? '';
    if (isEmotion(label)) samples.push({ label, name, bytes: await readFile(new URL(name, root)) });
  }
  return samples;
}
