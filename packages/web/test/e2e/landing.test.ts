import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EMOTIONS } from '@emotion-app/protocol';
import type { Browser } from 'playwright-core';
import { createVerifiedUser, launchBrowser, type Stack, startStack } from './harness.js';

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

test('a visitor without an account sees what the app does on the landing page, without charts or camera code', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });
  const api: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (/^\/(detect|logs|images|stats)\b/.test(path)) api.push(path);
  });

  await page.goto(stack.baseUrl);
  await page.getByRole('heading', { name: 'See which emotion a face shows', level: 1 }).waitFor();
  assert.ok(page.url().endsWith('/'), 'stays on /');

  // The worked example: the sample photo with its face box, and all seven probabilities.
  const photo = page.getByAltText(/sample photo/);
  await photo.waitFor();
  assert.ok(await photo.evaluate((img) => (img as HTMLImageElement).naturalWidth > 0), 'the photo loaded');
  await page.getByTestId('face-box').first().waitFor();
  assert.equal(await page.getByTestId('face-box').count(), 1);
  assert.match((await page.getByTestId('face-label').textContent()) ?? '', /^Happy \d+(\.\d)?%$/);
  for (const emotion of EMOTIONS) {
    assert.equal(await page.getByTestId(`probability-${emotion}`).count(), 1, `a bar for ${emotion}`);
  }
  await page.getByText('Delete any detection, photo included').waitFor();
  await page.getByTestId('service-status').filter({ hasText: 'Online' }).waitFor();

  // Light: only the app's entry code, no page chunk with the charts (Stats) or the camera (Detect).
  assert.ok(scripts.length >= 1, 'the entry script loaded');
  assert.deepEqual(
    scripts.filter((path) => /\/(Stats|Detect|History|Account)-/.test(path)),
    [],
    `scripts loaded: ${scripts.join(', ')}`,
  );
  assert.deepEqual(api, [], 'the example makes no API call');

  // The ways in.
  await page.getByRole('link', { name: 'Sign in' }).first().click();
  await page.waitForURL('**/sign-in');
  await page.goBack();
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.waitForURL('**/sign-up');
  await page.getByRole('heading', { name: 'Sign up' }).waitFor();
  await context.close();
});

test('a signed-in user opening / goes to Detect', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await createVerifiedUser(stack, page);
  await page.goto(stack.baseUrl);
  await page.waitForURL('**/detect');
  await page.getByRole('heading', { name: 'Detect emotion' }).waitFor();
  await context.close();
});
