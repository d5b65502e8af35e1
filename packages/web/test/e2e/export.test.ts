import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createVerifiedUser, FACES_DIR, launchBrowser, type Stack, startStack } from './harness.js';

const PHOTOS = [
  'Happy-test.jpg',
  'disgust_test.jpg',
  'neutral_test.jpg',
  'sad_test.jpg',
  'surprise_test.jpg',
];
const CSV_HEADER = 'id,createdAt,emotion,confidence,faces,angry,disgust,fear,happy,neutral,sad,surprise';

let stack: Stack;
let browser: Browser;

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stack?.close();
});

interface Item {
  id: string;
  emotion: string;
  confidence: number;
}

/** Seven detections made as an API client (Bearer); answers the Authorization header. */
async function seed(email: string, password: string): Promise<string> {
  const login = await fetch(`${stack.baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const authorization = `Bearer ${accessToken}`;
  let made = 0;
  for (let attempt = 0; made < 7 && attempt < 14; attempt++) {
    const name = PHOTOS[attempt % PHOTOS.length] ?? 'Happy-test.jpg';
    const form = new FormData();
    form.append('image', new Blob([readFileSync(join(FACES_DIR, name))], { type: 'image/jpeg' }), name);
    const response = await fetch(`${stack.baseUrl}/detect`, {
      method: 'POST',
      headers: { authorization },
      body: form,
    });
    if (response.ok) made++;
    else await response.body?.cancel();
  }
  assert.equal(made, 7, 'the face fixtures were detected');
  return authorization;
}

/** Clicks an export button and answers the downloaded file's name and text. */
async function download(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

test('Export CSV and Export JSON save exactly the detections the current filters show', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  const user = await createVerifiedUser(stack, page);
  const authorization = await seed(user.email, user.password);
  const all = (
    (await (await fetch(`${stack.baseUrl}/logs?limit=100`, { headers: { authorization } })).json()) as {
      items: Item[];
    }
  ).items;

  // Filter History by the most frequent emotion.
  const counts = new Map<string, number>();
  for (const item of all) counts.set(item.emotion, (counts.get(item.emotion) ?? 0) + 1);
  const [emotion, count] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['happy', 0];
  const expected = all.filter((item) => item.emotion === emotion);
  await page.getByRole('link', { name: 'History' }).click();
  await page.getByText(`of ${all.length}`).waitFor();
  await page.getByRole('combobox', { name: 'Emotion' }).click();
  await page
    .getByRole('option', { name: emotion.charAt(0).toUpperCase() + emotion.slice(1), exact: true })
    .click();
  await page.getByText(`Showing 1–${count} of ${count}`).waitFor();

  const csv = await download(page, 'Export CSV');
  assert.match(csv.name, /^emotions-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = csv.text.trim().split(/\r?\n/);
  assert.equal(lines[0], CSV_HEADER);
  const rows = lines.slice(1).map((line) => line.split(','));
  assert.deepEqual(
    rows.map((row) => row[0]),
    expected.map((item) => item.id),
    'the CSV holds the filtered detections, newest first',
  );
  assert.ok(
    rows.every((row) => row[2] === emotion),
    'every CSV row has the filtered emotion',
  );

  const json = await download(page, 'Export JSON');
  assert.match(json.name, /^emotions-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = JSON.parse(json.text) as Item[];
  assert.deepEqual(
    exported.map((item) => item.id),
    expected.map((item) => item.id),
  );
  assert.deepEqual(
    exported.map((item) => item.confidence),
    expected.map((item) => item.confidence),
  );

  // Without a filter the export holds the whole history.
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByText(`of ${all.length}`).waitFor();
  const everything = JSON.parse((await download(page, 'Export JSON')).text) as Item[];
  assert.deepEqual(
    everything.map((item) => item.id),
    all.map((item) => item.id),
  );
  await context.close();
});
