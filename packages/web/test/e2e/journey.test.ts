import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEVELOPMENT_COOKIES, EMOTIONS } from '@emotion-app/protocol';
import type { Browser, Page } from 'playwright-core';
import {
  field,
  HAPPY_FACE,
  launchBrowser,
  PASSWORD,
  type Stack,
  startStack,
  textOf,
  uniqueEmail,
} from './harness.js';

const LABELS: string[] = EMOTIONS.map((emotion) => emotion.charAt(0).toUpperCase() + emotion.slice(1));

/**
 * On the Detect page: checks the default model is preselected, then picks the first other model
 * of the catalogue if there is one (GET /models lists one model or several). Returns the name of
 * the model the detection will use.
 */
async function pickModel(page: Page): Promise<string> {
  const picker = page.getByRole('combobox', { name: 'Model' });
  await picker.waitFor();
  const preselected = await picker.inputValue();
  assert.match(preselected, / \(default\)$/, 'the default model is preselected');
  await picker.click();
  const options = await page.getByRole('option').allTextContents();
  const other = options.find((option) => !option.endsWith(' (default)'));
  if (other === undefined) {
    await page.keyboard.press('Escape');
    return preselected.replace(/ \(default\)$/, '');
  }
  await page.getByRole('option', { name: other, exact: true }).click();
  assert.equal(await picker.inputValue(), other);
  return other;
}

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

test('a new user signs up, confirms by mail, detects an emotion, manages history and signs out', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const email = uniqueEmail('journey');

  // The start page shows a signed-out visitor the landing page, which links to Sign up.
  await page.goto(stack.baseUrl);
  await page.getByRole('heading', { name: 'See which emotion a face shows' }).waitFor();
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.waitForURL('**/sign-up');

  await field(page, 'Name').fill('Grace Hopper');
  await field(page, 'Email').fill(email);
  await field(page, 'Password').fill(PASSWORD);
  await field(page, 'Confirm password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();

  await page.getByRole('heading', { name: 'Check your mail' }).waitFor();
  assert.ok(await page.getByText(email).isVisible(), 'the check-mail page names the address');

  // The link from the development outbox confirms the address and signs the user in.
  await page.goto(await stack.mailedLink(email, '/verify-email'));
  await page.waitForURL('**/detect');
  await page.getByRole('heading', { name: 'Detect emotion' }).waitFor();
  assert.ok(await page.getByText('Signed in as Grace Hopper').isVisible());

  // Upload a face photo, pick a model other than the default when the catalogue has one, and detect.
  await page.locator('input[type=file]').setInputFiles(HAPPY_FACE);
  const modelName = await pickModel(page);
  await page.getByRole('button', { name: 'Detect emotion' }).click();
  await page.getByTestId('detection-result').waitFor();
  assert.equal(await textOf(page.getByTestId('detection-model')), `Model: ${modelName}`);
  const topEmotion = ((await page.getByTestId('top-emotion').textContent()) ?? '').trim();
  assert.ok(LABELS.includes(topEmotion), `top emotion is one of the seven labels (got "${topEmotion}")`);
  await page.getByTestId('face-box').first().waitFor();
  assert.ok((await page.getByTestId('face-box').count()) >= 1, 'at least one face box is drawn');
  const label = (await page.getByTestId('face-label').first().textContent()) ?? '';
  assert.match(label, /^(Angry|Disgust|Fear|Happy|Neutral|Sad|Surprise) \d+(\.\d)?%$/);
  for (const emotion of EMOTIONS) {
    assert.equal(await page.getByTestId(`probability-${emotion}`).count(), 1, `a bar for ${emotion}`);
  }
  // The box sits on the photo: inside the image's bounds.
  const image = await page.getByAltText('Your photo with the detected faces marked').boundingBox();
  const box = await page.getByTestId('face-box').first().boundingBox();
  assert.ok(image && box, 'photo and box are laid out');
  assert.ok(
    box.x >= image.x - 2 && box.x + box.width <= image.x + image.width + 2,
    'box within the photo (x)',
  );
  assert.ok(
    box.y >= image.y - 2 && box.y + box.height <= image.y + image.height + 2,
    'box within the photo (y)',
  );

  // History lists the detection with its thumbnail.
  await page.getByRole('link', { name: 'History' }).click();
  await page.waitForURL('**/history');
  await page.getByTestId('history-item').first().waitFor();
  assert.equal(await page.getByTestId('history-item').count(), 1);
  const thumbnail = page.getByTestId('history-item').getByRole('img');
  await thumbnail.waitFor();
  assert.ok(
    await thumbnail.evaluate(
      (img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0,
    ),
    'the thumbnail loaded',
  );
  assert.ok(await page.getByTestId('history-item').getByText(topEmotion).isVisible());
  assert.equal(await textOf(page.getByTestId('history-model')), `Model: ${modelName}`);

  // Delete it, after confirming.
  await page.getByRole('button', { name: /^Delete detection from/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete this detection?' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByText('No detections yet.').waitFor();
  assert.equal(await page.getByTestId('history-item').count(), 0);

  // Sign out; every protected page now sends the visitor to Sign in.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL('**/sign-in');
  for (const path of ['/detect', '/history', '/statistics', '/account']) {
    await page.goto(`${stack.baseUrl}${path}`);
    await page.waitForURL(`**/sign-in?next=${encodeURIComponent(path)}`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  }

  // Signing in from such a redirect comes back to the page that was wanted.
  await field(page, 'Email').fill(email);
  await field(page, 'Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/account');
  await page.getByRole('heading', { name: 'Account' }).waitFor();

  // Nothing of the session is readable by scripts or kept in web storage.
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
  assert.doesNotMatch(storage, /eyJ/, 'no JWT in localStorage or sessionStorage');
  const scriptCookies = await page.evaluate(() => document.cookie);
  for (const name of [DEVELOPMENT_COOKIES.access, DEVELOPMENT_COOKIES.refresh]) {
    assert.ok(!scriptCookies.includes(name), `the ${name} cookie is HttpOnly`);
  }
  await context.close();
});
