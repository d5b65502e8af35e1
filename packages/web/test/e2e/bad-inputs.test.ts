import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import {
  createVerifiedUser,
  field,
  HAPPY_FACE,
  launchBrowser,
  PASSWORD,
  type Stack,
  startStack,
  textOf,
  uniqueEmail,
} from './harness.js';

let stack: Stack;
let browser: Browser;

before(async () => {
  // A 20 KB upload limit, so a face fixture (57 KB) is "too large"; 4 detections a minute; and a
  // minimum confidence no real answer reaches, so a small face photo gets 422 low_confidence.
  stack = await startStack({
    apiEnv: { MAX_UPLOAD_MB: '0.02', DETECT_RATE_LIMIT: '4', MIN_CONFIDENCE: '0.9999' },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stack?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  return context.newPage();
}

/** The error shown under an input: the element its aria-describedby names with an "-error" id. */
async function fieldError(page: Page, label: string): Promise<string> {
  const input = field(page, label);
  await page.waitForFunction(
    (element) => /-error\b/.test(element?.getAttribute('aria-describedby') ?? ''),
    await input.elementHandle(),
  );
  const ids = (await input.getAttribute('aria-describedby')) ?? '';
  const id = ids.split(/\s+/).find((candidate) => candidate.endsWith('-error')) ?? '';
  return textOf(page.locator(`[id="${id}"]`));
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${stack.baseUrl}/sign-in`);
  await field(page, 'Email').fill(email);
  await field(page, 'Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a wrong password is answered with a message and no sign-in', async () => {
  const page = await newPage();
  const user = await createVerifiedUser(stack, page);
  await page.context().clearCookies();

  await signIn(page, user.email, 'not-the-right-password-1');
  const alert = page.getByRole('alert').filter({ hasText: 'Wrong email or password.' });
  await alert.waitFor();
  assert.ok(page.url().endsWith('/sign-in'), 'stays on Sign in');
  await page.context().close();
});

test('signing in before confirming the address says so and offers a new link', async () => {
  const page = await newPage();
  const email = uniqueEmail('unverified');
  const response = await fetch(`${stack.baseUrl}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Not Yet', email, password: PASSWORD }),
  });
  assert.equal(response.status, 201);

  await signIn(page, email, PASSWORD);
  await page.getByRole('alert').filter({ hasText: 'Please confirm your email address first' }).waitFor();
  await page.getByRole('link', { name: 'Send the link again' }).click();
  await page.waitForURL('**/check-email?email=*');
  await page.getByRole('button', { name: 'Resend email' }).click();
  await page.getByRole('status').filter({ hasText: 'a new link is on its way' }).waitFor();
  await page.context().close();
});

test('a weak password is refused with the reason shown under the Password field', async () => {
  const page = await newPage();
  await page.goto(`${stack.baseUrl}/sign-up`);
  await field(page, 'Name').fill('Weak Walter');
  await field(page, 'Email').fill(uniqueEmail('weak'));
  await field(page, 'Password').fill('password');
  await field(page, 'Confirm password').fill('password');
  await page.getByRole('button', { name: 'Sign up' }).click();

  const message = await fieldError(page, 'Password');
  assert.ok(message.length > 0, 'the server reason is shown next to the field');
  assert.ok(page.url().endsWith('/sign-up'), 'stays on Sign up');

  // Two different passwords are caught before anything is sent.
  await field(page, 'Password').fill(PASSWORD);
  await field(page, 'Confirm password').fill(`${PASSWORD}!`);
  await page.getByRole('button', { name: 'Sign up' }).click();
  assert.equal(await fieldError(page, 'Confirm password'), 'The passwords do not match.');
  await page.context().close();
});

test('uploads that are not usable photos get a clear message', async () => {
  const page = await newPage();
  await createVerifiedUser(stack, page);
  const input = page.locator('input[type=file]');
  const error = page.getByTestId('detect-error');

  // A text file is refused in the page, before any upload.
  await input.setInputFiles({
    name: 'notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('hello, world\n'),
  });
  await error.waitFor();
  assert.match(await textOf(error), /Not a supported image/);
  assert.match(await textOf(error), /JPEG, PNG or WebP/);

  // Text dressed up as a JPEG reaches emotion-api, which answers 415; the page explains it the same way.
  await input.setInputFiles({
    name: 'holiday.jpg',
    mimeType: 'image/jpeg',
    buffer: Buffer.from('this is not really a jpeg\n'.repeat(20)),
  });
  const [refused] = await Promise.all([
    page.waitForResponse((response) => new URL(response.url()).pathname === '/detect'),
    page.getByRole('button', { name: 'Detect emotion' }).click(),
  ]);
  assert.equal(refused.status(), 415);
  await error.waitFor();
  assert.match(await textOf(error), /Not a supported image/);

  // A real image without a face: 422 no_face_detected.
  const landscape = await sharp({
    create: { width: 480, height: 320, channels: 3, background: { r: 70, g: 140, b: 200 } },
  })
    .png()
    .toBuffer();
  await input.setInputFiles({ name: 'sky.png', mimeType: 'image/png', buffer: landscape });
  const [noFace] = await Promise.all([
    page.waitForResponse((response) => new URL(response.url()).pathname === '/detect'),
    page.getByRole('button', { name: 'Detect emotion' }).click(),
  ]);
  assert.equal(noFace.status(), 422);
  await error.filter({ hasText: 'No face found' }).waitFor();

  // A face the model is not sure enough about (below MIN_CONFIDENCE): 422 low_confidence.
  const smallFace = await sharp(HAPPY_FACE).resize(200).jpeg({ quality: 80 }).toBuffer();
  await input.setInputFiles({ name: 'small.jpg', mimeType: 'image/jpeg', buffer: smallFace });
  const [unsure] = await Promise.all([
    page.waitForResponse((response) => new URL(response.url()).pathname === '/detect'),
    page.getByRole('button', { name: 'Detect emotion' }).click(),
  ]);
  assert.equal(unsure.status(), 422);
  assert.equal((await unsure.json()).code, 'low_confidence');
  await error.filter({ hasText: 'Not sure about this one' }).waitFor();

  // A photo over the upload limit: 413.
  await input.setInputFiles(HAPPY_FACE);
  const [tooLarge] = await Promise.all([
    page.waitForResponse((response) => new URL(response.url()).pathname === '/detect'),
    page.getByRole('button', { name: 'Detect emotion' }).click(),
  ]);
  assert.equal(tooLarge.status(), 413);
  await error.filter({ hasText: 'Photo too large' }).waitFor();

  // A fifth detection within the minute: 429 with Retry-After.
  const [limited] = await Promise.all([
    page.waitForResponse((response) => new URL(response.url()).pathname === '/detect'),
    page.getByRole('button', { name: 'Detect emotion' }).click(),
  ]);
  assert.equal(limited.status(), 429);
  await error.filter({ hasText: 'Too many detections' }).waitFor();
  assert.match(await textOf(error), /wait \d+ seconds|wait a moment/);
  await page.context().close();
});
