import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createVerifiedUser, FACES_DIR, launchBrowser, type Stack, startStack, textOf } from './harness.js';

const PHOTOS = [
  'Happy-test.jpg',
  'disgust_test.jpg',
  'neutral_test.jpg',
  'sad_test.jpg',
  'surprise_test.jpg',
];
const DETECTIONS = 13; // one more than a page

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
  emotion: string;
  confidence: number;
  model: string;
}

interface Model {
  id: string;
  name: string;
}

/** Detections made as an API client (Bearer), so the page has a history to show; and GET /models. */
async function seed(email: string, password: string): Promise<{ items: Item[]; models: Model[] }> {
  const login = await fetch(`${stack.baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const authorization = `Bearer ${accessToken}`;
  let made = 0;
  for (let attempt = 0; made < DETECTIONS && attempt < DETECTIONS * 2; attempt++) {
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
  assert.equal(made, DETECTIONS, 'the face fixtures were detected');
  const logs = await fetch(`${stack.baseUrl}/logs?limit=100`, { headers: { authorization } });
  const catalogue = await fetch(`${stack.baseUrl}/models`, { headers: { authorization } });
  return {
    items: ((await logs.json()) as { items: Item[] }).items,
    models: ((await catalogue.json()) as { models: Model[] }).models,
  };
}

test('History pages through the detections, shows their model and filters them by emotion, model, confidence and date', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const user = await createVerifiedUser(stack, page);
  const { items, models } = await seed(user.email, user.password);

  await page.getByRole('link', { name: 'History' }).click();
  const cards = page.getByTestId('history-item');
  await page.getByText(`Showing 1–12 of ${DETECTIONS}`).waitFor();
  assert.equal(await cards.count(), 12);

  // Every row names its model (the seeded uploads named none: the default one).
  const used = models.find((model) => model.id === items[0]?.model);
  assert.ok(used, `the rows' model ${items[0]?.model} is in GET /models`);
  for (const text of await page.getByTestId('history-model').allTextContents()) {
    assert.equal(text.trim(), `Model: ${used.name}`);
  }

  await page.getByRole('button', { name: '2', exact: true }).click();
  await page.getByText(`Showing 13–13 of ${DETECTIONS}`).waitFor();
  assert.equal(await cards.count(), 1);

  // Emotion: the most frequent one in the seeded history.
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.emotion, (counts.get(item.emotion) ?? 0) + 1);
  const [emotion, count] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['happy', 0];
  const label = emotion.charAt(0).toUpperCase() + emotion.slice(1);
  await page.getByRole('combobox', { name: 'Emotion' }).click();
  await page.getByRole('option', { name: label, exact: true }).click();
  await page.getByText(`Showing 1–${Math.min(count, 12)} of ${count}`).waitFor();
  for (const text of await cards.getByText(/^(Angry|Disgust|Fear|Happy|Neutral|Sad|Surprise)$/).all()) {
    assert.equal(await textOf(text), label);
  }
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByText(`Showing 1–12 of ${DETECTIONS}`).waitFor();

  // Model (offered when the catalogue has several): another model matches none of the rows.
  const other = models.find((model) => model.id !== used.id);
  if (other) {
    await page.getByRole('combobox', { name: 'Model' }).click();
    await page.getByRole('option', { name: other.name, exact: true }).click();
    await page.getByText('No detections match these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByText(`Showing 1–12 of ${DETECTIONS}`).waitFor();
  }

  // Confidence: move the lower bound up to 95% with the keyboard (19 steps of 5%).
  const [filtered] = await Promise.all([
    page.waitForResponse((response) => new URL(response.url()).searchParams.get('minConfidence') === '0.95'),
    (async () => {
      await page.getByRole('slider', { name: 'Minimum confidence' }).focus();
      for (let step = 0; step < 19; step++) await page.keyboard.press('ArrowRight');
    })(),
  ]);
  const confident = items.filter((item) => item.confidence >= 0.95).length;
  assert.equal(((await filtered.json()) as { total: number }).total, confident);
  if (confident === 0) await page.getByText('No detections match these filters.').waitFor();
  else await page.getByText(`of ${confident}`).waitFor();
  await page.getByRole('button', { name: 'Clear filters' }).click();

  // Dates: nothing was detected tomorrow.
  const tomorrow = new Date(Date.now() + 86_400_000);
  const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
  await page.getByLabel('From', { exact: true }).fill(day);
  await page.getByText('No detections match these filters.').waitFor();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByText(`Showing 1–12 of ${DETECTIONS}`).waitFor();
  await context.close();
});
