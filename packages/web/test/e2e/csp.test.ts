import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, type Stack, startStack, takeCspViolations } from './harness.js';

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

/** The value of one directive of a CSP header ('' when absent). */
function directive(policy: string, name: string): string {
  const found = policy
    .split(';')
    .map((part) => part.trim())
    .find((part) => part === name || part.startsWith(`${name} `));
  return found ? found.slice(name.length).trim() : '';
}

test('the app is served under a strict Content-Security-Policy and the suite catches a violation', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const response = await page.goto(`${stack.baseUrl}/sign-in`);
  const policy = response?.headers()['content-security-policy'] ?? '';
  assert.equal(directive(policy, 'default-src'), "'self'", `default-src 'self' (policy: "${policy}")`);
  const scripts = directive(policy, 'script-src') || directive(policy, 'default-src');
  assert.doesNotMatch(scripts, /unsafe-inline|unsafe-eval/, 'no inline or eval scripts');
  assert.equal(directive(policy, 'frame-ancestors'), "'none'");
  assert.equal(directive(policy, 'object-src'), "'none'");

  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  assert.deepEqual(takeCspViolations(), [], 'Sign in renders without a violation');

  // An inline script added to the page is refused, and the harness hears about it.
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'document.body.dataset.inline = "ran";';
    document.head.append(script);
  });
  let violations: string[] = [];
  for (let attempt = 0; attempt < 100 && violations.length === 0; attempt++) {
    await new Promise((done) => setTimeout(done, 50));
    violations = takeCspViolations();
  }
  assert.ok(
    violations.some((line) => line.includes('script-src')),
    `a script-src violation was reported (got ${JSON.stringify(violations)})`,
  );
  assert.equal(await page.evaluate(() => document.body.dataset.inline), undefined, 'the script did not run');
  await context.close();
});
