import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  createVerifiedUser,
  field,
  launchBrowser,
  type Stack,
  startStack,
  textOf,
  uniqueEmail,
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

async function signInElsewhere(email: string, password: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${stack.baseUrl}/sign-in`);
  await field(page, 'Email').fill(email);
  await field(page, 'Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/detect');
  return page;
}

async function sessionsShown(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (expected) => document.querySelectorAll('[data-testid=session]').length === expected,
    count,
  );
}

test('Account renames the user, lists the devices and signs them out', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const user = await createVerifiedUser(stack, page, { name: 'Ada Lovelace' });
  const laptop = await signInElsewhere(user.email, user.password);
  const phone = await signInElsewhere(user.email, user.password);

  await page.getByRole('link', { name: 'Account' }).click();
  await sessionsShown(page, 3);
  assert.equal(await page.getByText('This device', { exact: true }).count(), 1);

  // Rename.
  await field(page, 'Name').fill('Ada King');
  await page.getByRole('button', { name: 'Save name' }).click();
  await page.getByText('Signed in as Ada King').waitFor();

  // Sign one other device out, then every other one.
  await page
    .getByRole('button', { name: /^Sign out Chrome on Linux signed in/ })
    .first()
    .click();
  await sessionsShown(page, 2);
  await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
  await sessionsShown(page, 1);
  assert.equal(await page.getByText('This device', { exact: true }).count(), 1);

  // This device stays signed in; the list is the same after a reload.
  await page.reload();
  await sessionsShown(page, 1);
  assert.ok(page.url().endsWith('/account'));
  await laptop.context().close();
  await phone.context().close();
  await context.close();
});

test('changing the password needs the current one and keeps this device signed in', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const user = await createVerifiedUser(stack, page);
  await page.getByRole('link', { name: 'Account' }).click();

  await field(page, 'Current password').fill('not-my-password-at-all');
  await field(page, 'New password').fill('Brand-New-Harbor-7781');
  await field(page, 'Confirm new password').fill('Brand-New-Harbor-7781');
  await page.getByRole('button', { name: 'Change password' }).click();
  const currentError = page.locator('[id$=-error]').filter({ hasText: /incorrect/i });
  await currentError.waitFor();
  assert.ok(page.url().endsWith('/account'), 'a wrong current password does not sign the user out');

  await field(page, 'Current password').fill(user.password);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByText('Your password was changed.').waitFor();
  assert.equal(await field(page, 'Current password').inputValue(), '');

  // The new password works on another device, the old one does not.
  const other = await signInElsewhere(user.email, 'Brand-New-Harbor-7781');
  await other.context().close();
  await context.close();
});

test('a forgotten password is reset through the mailed link, whose token leaves the address bar', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const email = uniqueEmail('forgetful');
  await createVerifiedUser(stack, page, { email });
  await context.clearCookies();

  await page.goto(`${stack.baseUrl}/sign-in`);
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await field(page, 'Email').fill(email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await page.getByRole('status').filter({ hasText: 'a reset link is on its way' }).waitFor();

  await page.goto(await stack.mailedLink(email, '/reset-password'));
  // The page keeps the token in memory and takes it out of the address bar.
  await page.waitForURL((url) => url.pathname === '/reset-password' && url.search === '');
  assert.doesNotMatch(page.url(), /token/);
  // A weak new password is refused next to the field, without burning the link.
  await field(page, 'New password').fill('password');
  await field(page, 'Confirm new password').fill('password');
  await page.getByRole('button', { name: 'Reset password' }).click();
  await page.locator('[id$=-error]').first().waitFor();

  await field(page, 'New password').fill('Quiet-Meadow-Lantern-58');
  await field(page, 'Confirm new password').fill('Quiet-Meadow-Lantern-58');
  await page.getByRole('button', { name: 'Reset password' }).click();
  await page.getByRole('heading', { name: 'Password changed' }).waitFor();
  await page.getByRole('link', { name: 'Sign in' }).click();

  await field(page, 'Email').fill(email);
  await field(page, 'Password').fill('Quiet-Meadow-Lantern-58');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/detect');
  assert.match(await textOf(page.getByRole('heading', { level: 1 })), /Detect emotion/);
  await context.close();
});
