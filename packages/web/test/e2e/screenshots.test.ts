import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  createVerifiedUser,
  FACES_DIR,
  field,
  HAPPY_FACE,
  launchBrowser,
  SCREENSHOT_DIR,
  type Stack,
  screenshotBothWidths,
  startStack,
} from './harness.js';

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

async function detect(page: Page, photo: string): Promise<void> {
  await page.locator('input[type=file]').setInputFiles(photo);
  await page.getByRole('button', { name: 'Detect emotion' }).click();
  await page.getByTestId('face-box').first().waitFor();
}

test('every page renders at desktop and phone width (screenshots saved)', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const overflows: Record<string, number> = {};
  const shoot = async (name: string) => {
    overflows[name] = (await screenshotBothWidths(page, name)).phoneOverflow;
  };
  const open = async (path: string, ready: () => Promise<unknown>) => {
    await page.goto(`${stack.baseUrl}${path}`);
    await ready();
  };

  await open('/', () => page.getByTestId('face-box').first().waitFor());
  await shoot('landing');
  await open('/sign-in', () => page.getByRole('button', { name: 'Sign in' }).waitFor());
  await shoot('sign-in');
  await open('/sign-up', () => page.getByRole('button', { name: 'Sign up' }).waitFor());
  await shoot('sign-up');
  await field(page, 'Name').fill('Ada Lovelace');
  await field(page, 'Email').fill('ada@example.com');
  await field(page, 'Password').fill('password');
  await field(page, 'Confirm password').fill('password');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.locator('[id$=-error]').first().waitFor();
  await shoot('sign-up-weak-password');
  await open('/check-email?email=ada%40example.com', () =>
    page.getByRole('button', { name: 'Resend email' }).waitFor(),
  );
  await shoot('check-email');
  await open('/verify-email?token=not-a-real-token', () => page.getByRole('alert').waitFor());
  await shoot('verify-email-invalid');
  await open('/forgot-password', () => page.getByRole('button', { name: 'Send reset link' }).waitFor());
  await shoot('forgot-password');
  await open('/reset-password?token=some-token', () =>
    page.getByRole('button', { name: 'Reset password' }).waitFor(),
  );
  await shoot('reset-password');
  await open('/no-such-page', () => page.getByRole('heading', { name: 'Page not found' }).waitFor());
  await shoot('not-found');

  await createVerifiedUser(stack, page, { name: 'Ada Lovelace' });
  await page.getByRole('heading', { name: 'Detect emotion' }).waitFor();
  await shoot('detect');
  await detect(page, join(FACES_DIR, 'surprise_test.jpg'));
  await detect(page, HAPPY_FACE);
  await shoot('detect-result');

  await page.getByRole('link', { name: 'History' }).click();
  await page.getByTestId('history-item').nth(1).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=history-item] img').length === 2);
  await shoot('history');

  await page.getByRole('link', { name: 'Stats' }).click();
  await page.locator('.recharts-surface').first().waitFor();
  await shoot('stats');

  await page.getByRole('link', { name: 'Account' }).click();
  await page.getByTestId('session').first().waitFor();
  await shoot('account');

  // The dark theme, on the pages with the most colour.
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await page.getByRole('button', { name: 'Switch to light theme' }).waitFor();
  await page.getByRole('link', { name: 'Stats' }).click();
  await page.locator('.recharts-surface').first().waitFor();
  await shoot('stats-dark');
  await page.getByRole('link', { name: 'Detect' }).click();
  await detect(page, HAPPY_FACE);
  await shoot('detect-result-dark');

  t.diagnostic(`screenshots saved in ${SCREENSHOT_DIR}`);
  console.log(`screenshots saved in ${SCREENSHOT_DIR}`);
  for (const [name, overflow] of Object.entries(overflows)) {
    assert.equal(overflow, 0, `${name} scrolls sideways at 360 px by ${overflow}px`);
  }
  await context.close();
});
