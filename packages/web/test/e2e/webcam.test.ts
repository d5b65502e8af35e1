import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { createVerifiedUser, HAPPY_FACE, launchBrowser, type Stack, startStack, textOf } from './harness.js';

let stack: Stack;
let cameraBrowser: Browser;
let noCameraBrowser: Browser;
let videoDir: string;

/** Chromium's fake camera plays Motion-JPEG files: one face photo (640×480), repeated. */
async function faceVideo(): Promise<string> {
  const frame = await sharp(HAPPY_FACE)
    .rotate()
    .resize(640, 480, { fit: 'contain', background: { r: 0, g: 0, b: 0 } })
    .jpeg({ quality: 90 })
    .toBuffer();
  const file = join(videoDir, 'face.mjpeg');
  writeFileSync(file, Buffer.concat(Array.from({ length: 30 }, () => frame)));
  return file;
}

before(async () => {
  videoDir = mkdtempSync(join(tmpdir(), 'web-e2e-video-'));
  stack = await startStack();
  cameraBrowser = await launchBrowser([
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${await faceVideo()}`,
  ]);
  // Chromium's fake capture with no devices: "no camera" even on a machine that has one.
  noCameraBrowser = await launchBrowser(['--use-fake-device-for-media-stream=device-count=0']);
});

after(async () => {
  await cameraBrowser?.close();
  await noCameraBrowser?.close();
  await stack?.close();
  if (videoDir) rmSync(videoDir, { recursive: true, force: true });
});

async function openCameraTab(page: Page): Promise<void> {
  await createVerifiedUser(stack, page);
  await page.getByRole('tab', { name: 'Camera' }).click();
  await page.getByRole('button', { name: 'Start camera' }).click();
}

test('a photo taken with the camera is detected and its face marked', async () => {
  const context = await cameraBrowser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['camera'], { origin: stack.baseUrl });
  const page = await context.newPage();
  await openCameraTab(page);

  const video = page.getByLabel('Camera preview');
  await page.waitForFunction(
    (element) => element instanceof HTMLVideoElement && element.readyState >= 2 && element.videoWidth > 0,
    await video.elementHandle(),
  );
  await page.getByRole('button', { name: 'Take photo' }).click();
  await page.getByAltText('The photo you chose').waitFor();

  const [response] = await Promise.all([
    page.waitForResponse((candidate) => new URL(candidate.url()).pathname === '/detect'),
    page.getByRole('button', { name: 'Detect emotion' }).click(),
  ]);
  assert.equal(response.status(), 200, 'emotion-api found a face in the camera photo');
  // The capture goes with the model shown in the picker (the default one, preselected).
  const model = new URL(response.url()).searchParams.get('model');
  assert.equal(model, ((await response.json()) as { model: string }).model);
  assert.match(await page.getByRole('combobox', { name: 'Model' }).inputValue(), / \(default\)$/);
  await page.getByTestId('detection-result').waitFor();
  await page.getByTestId('face-box').first().waitFor();
  assert.ok((await page.getByTestId('face-box').count()) >= 1);
  assert.match(
    await textOf(page.getByTestId('top-emotion')),
    /^(Angry|Disgust|Fear|Happy|Neutral|Sad|Surprise)$/,
  );
  await context.close();
});

test('a refused camera permission is explained', async () => {
  const context = await cameraBrowser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await openCameraTab(page);
  const alert = page.getByRole('alert').filter({ hasText: 'Camera access was refused' });
  await alert.waitFor();
  assert.match(await textOf(alert), /upload a photo instead/);
  await context.close();
});

test('a missing camera is explained', async () => {
  const context = await noCameraBrowser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['camera'], { origin: stack.baseUrl });
  const page = await context.newPage();
  await openCameraTab(page);
  const alert = page.getByRole('alert').filter({ hasText: 'No camera was found' });
  await alert.waitFor();
  await context.close();
});
