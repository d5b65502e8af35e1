import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { createVerifiedUser, HAPPY_FACE, launchBrowser, type Stack, startStack } from './harness.js';

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

/** axe-core on the page as it is now: only serious and critical violations, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) =>
      violation.nodes.map(
        (node) =>
          `${violation.id} (${violation.impact}): ${node.target.join(' ')}: ${node.failureSummary ?? ''}`,
      ),
    );
}

/** Lets transitions and late renders settle before axe looks. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 300))));
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`every page has no serious or critical axe violation (${colorScheme} theme)`, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme });
    const page = await context.newPage();
    const found: string[] = [];
    const check = async (name: string, ready: () => Promise<unknown>) => {
      await ready();
      await page.getByTestId('service-status').filter({ hasText: 'Online' }).waitFor();
      await settle(page);
      found.push(...(await seriousViolations(page)).map((line) => `${name}: ${line}`));
    };
    const visit = async (path: string, heading: string) => {
      await page.goto(`${stack.baseUrl}${path}`);
      await check(path, () => page.getByRole('heading', { name: heading, level: 1 }).waitFor());
    };

    await visit('/', 'See which emotion a face shows');
    await visit('/sign-in', 'Sign in');
    await visit('/sign-up', 'Sign up');
    await visit('/check-email?email=someone%40example.com', 'Check your mail');
    await page.goto(`${stack.baseUrl}/verify-email?token=not-a-real-token`);
    await check('/verify-email', () => page.getByText('We could not confirm your email').waitFor());
    await visit('/forgot-password', 'Forgot password');
    await visit('/reset-password?token=not-a-real-token', 'Reset password');

    await createVerifiedUser(stack, page);
    await page.locator('input[type=file]').setInputFiles(HAPPY_FACE);
    await page.getByRole('button', { name: 'Detect emotion' }).click();
    await check('/detect', () => page.getByTestId('face-box').first().waitFor());
    await page.getByRole('link', { name: 'History' }).click();
    await check('/history', async () => {
      await page.getByTestId('history-item').first().getByRole('img').waitFor();
    });
    await page.getByRole('link', { name: 'Stats' }).click();
    await check('/statistics', () => page.getByRole('heading', { name: 'Detections by emotion' }).waitFor());
    await page.getByRole('link', { name: 'Account' }).click();
    await check('/account', () => page.getByTestId('session').first().waitFor());

    assert.deepEqual(found, [], `axe found serious or critical violations:\n${found.join('\n')}`);
    await context.close();
  });
}

/**
 * The element that has the keyboard focus: its name and whether focus is visible on it, i.e.
 * its outline, shadow or border differ from an unfocused copy of it (Mantine rings buttons and
 * links with an outline and marks inputs with the primary border colour).
 */
async function focused(page: Page): Promise<{ name: string; ring: boolean }> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return { name: '(body)', ring: false };
    // The unfocused look: a shallow copy of the element (same classes and attributes) beside it.
    const copy = element.cloneNode(false) as HTMLElement;
    copy.removeAttribute('id');
    element.after(copy);
    const parts = ['outlineStyle', 'outlineWidth', 'outlineColor', 'boxShadow', 'borderColor'] as const;
    const style = getComputedStyle(element);
    const copyStyle = getComputedStyle(copy);
    const focusedLook = parts.map((part) => style[part]).join();
    const blurredLook = parts.map((part) => copyStyle[part]).join();
    copy.remove();
    const label = (element as HTMLInputElement).labels?.[0]?.textContent?.replace(/\s*\*$/, '').trim();
    const name =
      element.getAttribute('aria-label') ||
      label ||
      element.textContent?.trim() ||
      element.getAttribute('name') ||
      element.tagName.toLowerCase();
    return { name: name.slice(0, 60), ring: focusedLook !== blurredLook };
  });
}

/** Presses Tab up to `limit` times; the names of the controls reached, and those shown without a ring. */
async function tabThrough(page: Page, limit: number): Promise<{ reached: string[]; noRing: string[] }> {
  const reached: string[] = [];
  const noRing: string[] = [];
  for (let step = 0; step < limit; step++) {
    await page.keyboard.press('Tab');
    await page.waitForTimeout(150); // Mantine inputs fade their focus border in
    const { name, ring } = await focused(page);
    reached.push(name);
    if (!ring && name !== '(body)') noRing.push(name);
  }
  return { reached, noRing };
}

test('Detect and History work from the keyboard, with a visible focus, and the result is announced', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await createVerifiedUser(stack, page);
  await page.getByRole('heading', { name: 'Detect emotion' }).waitFor();

  // Tab from the top of the page: the navigation, the source tabs and the drop zone are reachable.
  await page.locator('body').focus();
  const detect = await tabThrough(page, 14);
  for (const name of ['Detect', 'History', 'Stats', 'Account', 'Upload', 'Drag a photo here']) {
    assert.ok(
      detect.reached.some((reached) => reached === name || reached.startsWith(name)),
      `Tab reaches "${name}" on Detect (reached: ${detect.reached.join(' | ')})`,
    );
  }
  assert.deepEqual(detect.noRing, [], 'every focused control on Detect shows a focus ring');

  // Choose a photo, then run the detection with the keyboard alone.
  await page.locator('input[type=file]').setInputFiles(HAPPY_FACE);
  const detectButton = page.getByRole('button', { name: 'Detect emotion' });
  await detectButton.focus();
  assert.ok((await focused(page)).ring, 'the Detect button shows a focus ring');
  await page.keyboard.press('Enter');
  const announcement = page.getByTestId('detect-announcement');
  await page.getByTestId('face-box').first().waitFor();
  assert.equal(await announcement.getAttribute('aria-live'), 'polite');
  assert.match(
    (await announcement.textContent()) ?? '',
    /^Result: \w+, [\d.]+% confident, 1 face found, by the \S.* model\.$/,
  );

  // History: filters, Export and Delete are reachable, and Delete opens its dialog by keyboard.
  await page.getByRole('link', { name: 'History' }).focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('history-item').first().waitFor();
  // (each date input takes three stops: day, month and year)
  const history = await tabThrough(page, 30);
  for (const name of ['Export CSV', 'Export JSON', 'Emotion', 'Minimum confidence', 'Maximum confidence']) {
    assert.ok(
      history.reached.some((reached) => reached === name || reached.startsWith(name)),
      `Tab reaches "${name}" on History (reached: ${history.reached.join(' | ')})`,
    );
  }
  assert.ok(
    history.reached.some((reached) => reached.startsWith('Delete detection from')),
    `Tab reaches a Delete button (reached: ${history.reached.join(' | ')})`,
  );
  assert.deepEqual(history.noRing, [], 'every focused control on History shows a focus ring');
  await page.getByRole('button', { name: /^Delete detection from/ }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Delete this detection?' });
  await dialog.waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await context.close();
});
