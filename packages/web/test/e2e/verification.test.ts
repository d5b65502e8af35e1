import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  field,
  launchBrowser,
  PASSWORD,
  registerIn,
  type Stack,
  startStack,
  uniqueEmail,
} from './harness.js';

const VIEWPORT = { viewport: { width: 1280, height: 800 } };
const CONFIRMED = 'Your email address is confirmed. Sign in to continue.';

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

/** GET /auth/me with the context's cookies: 200 when it holds a session. */
async function meStatus(context: BrowserContext): Promise<number> {
  return (await context.request.get(`${stack.baseUrl}/auth/me`)).status();
}

/** Waits until the address bar shows `path` with no query left (the page removed the token). */
async function waitForBarePath(page: Page, path: string): Promise<void> {
  await page.waitForURL((url) => url.pathname === path && url.search === '');
  assert.doesNotMatch(page.url(), /token/);
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await field(page, 'Email').fill(email);
  await field(page, 'Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('the verification link signs the user in in the browser that signed up', async () => {
  const context = await browser.newContext(VIEWPORT);
  const page = await context.newPage();
  const email = uniqueEmail('same-browser');

  await page.goto(`${stack.baseUrl}/sign-up`);
  await field(page, 'Name').fill('Grace Hopper');
  await field(page, 'Email').fill(email);
  await field(page, 'Password').fill(PASSWORD);
  await field(page, 'Confirm password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: 'Check your mail' }).waitFor();

  await page.goto(await stack.mailedLink(email, '/verify-email'));
  await page.waitForURL('**/detect');
  await page.getByText('Signed in as Grace Hopper').waitFor();
  assert.equal(await meStatus(context), 200, 'the session cookies were set');
  await context.close();
});

test('the verification link opened in another browser confirms the address, signs nobody in, and the password then signs in', async () => {
  const signUpContext = await browser.newContext(VIEWPORT);
  const email = uniqueEmail('other-browser');
  await registerIn(stack, signUpContext, { name: 'Ada Lovelace', email, password: PASSWORD });
  const link = await stack.mailedLink(email, '/verify-email');

  const context = await browser.newContext(VIEWPORT);
  const page = await context.newPage();
  await page.goto(link);
  await page.getByRole('status').filter({ hasText: CONFIRMED }).waitFor();
  await waitForBarePath(page, '/verify-email');
  assert.equal(await meStatus(context), 401, 'no session in the browser that opened the link');
  assert.equal(await meStatus(signUpContext), 401, 'nor in the one that signed up');

  // Sign in is shown as a form (the page did not take the visitor for signed in), address prefilled.
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.waitForURL('**/sign-in');
  assert.equal(await field(page, 'Email').inputValue(), email);
  await field(page, 'Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/detect');
  await page.getByText('Signed in as Ada Lovelace').waitFor();
  await signUpContext.close();
  await context.close();
});

test('account pre-hijacking: an earlier sign-up with the victim address and another password gives its author nothing', async () => {
  const email = uniqueEmail('victim');
  const attackerPassword = 'Crooked-Lantern-Wharf-6613';
  const attacker = await browser.newContext(VIEWPORT);
  const victim = await browser.newContext(VIEWPORT);

  await registerIn(stack, attacker, { name: 'Mallory', email, password: attackerPassword });
  const attackerLink = await stack.mailedLink(email, '/verify-email');
  await registerIn(stack, victim, { name: 'Victor', email, password: PASSWORD });
  const victimLink = await stack.mailedLink(email, '/verify-email', { except: [attackerLink] });

  // The owner opens the newest mail in the browser they signed up in: signed in.
  const victimPage = await victim.newPage();
  await victimPage.goto(victimLink);
  await victimPage.waitForURL('**/detect');
  assert.equal(await meStatus(victim), 200);

  // The first mail's link no longer works, and the attacker's browser holds no session.
  const attackerPage = await attacker.newPage();
  await attackerPage.goto(attackerLink);
  await attackerPage.getByRole('alert').filter({ hasText: 'We could not confirm your email' }).waitFor();
  await waitForBarePath(attackerPage, '/verify-email');
  assert.equal(await meStatus(attacker), 401);

  // The attacker's password is refused; the owner's works.
  await attackerPage.goto(`${stack.baseUrl}/sign-in`);
  await signIn(attackerPage, email, attackerPassword);
  await attackerPage.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
  assert.equal(await meStatus(attacker), 401);
  await signIn(attackerPage, email, PASSWORD);
  await attackerPage.waitForURL('**/detect');
  await attacker.close();
  await victim.close();
});
