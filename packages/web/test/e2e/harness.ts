/**
 * The browser suite's fixtures: builds the web app when dist/ is stale, starts a real auth-server
 * and emotion-api in this process through their packages' test helpers
 * (`@emotion-app/auth-server/testing`, `@emotion-app/emotion-api/testing`; temporary DATA_DIR,
 * shared JWT secret), and launches Debian's
 * Chromium through playwright-core. Every page of a browser from `launchBrowser` reports its
 * Content-Security-Policy violations, and the test during which one happened fails.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestAuthServer, type TestAuthServer } from '@emotion-app/auth-server/testing';
import { startTestEmotionApi, type TestEmotionApi } from '@emotion-app/emotion-api/testing';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';

export const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const REPO_ROOT = resolve(WEB_DIR, '../..');
export const FACES_DIR = join(REPO_ROOT, 'fixtures/faces');
export const HAPPY_FACE = join(FACES_DIR, 'Happy-test.jpg');
export const SCREENSHOT_DIR = join(WEB_DIR, 'test-results/screenshots');
export const PASSWORD = 'Vivid-Sunset-Harbor-2049';

/** Where Chromium is: CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** CSP violations seen since the last `takeCspViolations()`, one line each. */
const cspViolations: string[] = [];
const CSP_TAG = '[csp-violation]';

/** The CSP violations reported by any page since the last call; forgets them. */
export function takeCspViolations(): string[] {
  return cspViolations.splice(0);
}

// Whichever test was running when a page reported a violation fails (a hook failure of that test).
afterEach(() => {
  const found = takeCspViolations();
  if (found.length > 0) {
    throw new Error(`${found.length} Content-Security-Policy violation(s):\n${found.join('\n')}`);
  }
});

/**
 * Makes every page of `context` report CSP violations: Chromium's own console message ("Refused
 * to … because it violates the following Content Security Policy directive …") and, from an init
 * script (which the page's CSP does not apply to), each `securitypolicyviolation` event.
 */
async function watchCsp(context: BrowserContext): Promise<void> {
  context.on('console', (message) => {
    const text = message.text();
    if (text.startsWith(CSP_TAG) || text.includes('Content Security Policy')) {
      cspViolations.push(`${message.page()?.url() ?? '(no page)'}: ${text}`);
    }
  });
  await context.addInitScript((tag: string) => {
    document.addEventListener(
      'securitypolicyviolation',
      (event) => {
        const where = event.sourceFile ? ` at ${event.sourceFile}:${event.lineNumber}` : '';
        console.error(
          `${tag} ${event.disposition} ${event.effectiveDirective} blocked ${event.blockedURI || '(inline)'}${where}`,
        );
      },
      true,
    );
  }, CSP_TAG);
}

/**
 * Headless Chromium with a fresh temporary profile (playwright creates and removes it). Every
 * context it makes (`newContext`, and `newPage`, which makes one) watches for CSP violations.
 */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [...BROWSER_ARGS, ...extraArgs],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await watchCsp(context);
    return context;
  };
  return browser;
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Runs `vite build` when dist/ is missing or older than any of its sources. */
export function ensureBuilt(): void {
  const built = join(WEB_DIR, 'dist/index.html');
  const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'postcss.config.mjs', 'package.json']
    .map((path) => join(WEB_DIR, path))
    // The workspace packages the bundle takes sources from.
    .concat(['auth-client', 'protocol'].map((name) => join(REPO_ROOT, 'packages', name, 'src')))
    .map(newestMtime);
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources)) return;
  const viteBin = [
    join(WEB_DIR, 'node_modules/vite/bin/vite.js'),
    join(REPO_ROOT, 'node_modules/vite/bin/vite.js'),
  ].find((path) => existsSync(path));
  if (!viteBin) throw new Error('vite is not installed (run npm install at the repository root)');
  const result = spawnSync(process.execPath, [viteBin, 'build', '--logLevel', 'warn'], {
    cwd: WEB_DIR,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`vite build failed with exit code ${result.status}`);
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export type Service = 'auth' | 'api';

export interface Stack {
  /** emotion-api, which also serves the built web app. */
  baseUrl: string;
  authUrl: string;
  /**
   * The newest link to `path` (e.g. /verify-email) mailed to `email`, moved onto `baseUrl`;
   * waits for it. With `except`, waits for a link that is not one of those (a newer mail).
   */
  mailedLink(email: string, path: string, options?: { except?: string[] }): Promise<string>;
  /** Stops auth-server or emotion-api (its port then refuses connections); its data stays. */
  stop(service: Service): Promise<void>;
  /** Starts a stopped service again on the same port, with the same data. */
  restart(service: Service): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  /** auth-server's JWT_MAXAGE in minutes (fractions allowed: 0.05 = 3 s). */
  jwtMaxAgeMinutes?: number;
  /** Extra emotion-api environment (e.g. MAX_UPLOAD_MB). */
  apiEnv?: Record<string, string>;
}

/** Starts auth-server and emotion-api on free ports with a temporary data folder. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  ensureBuilt();
  // Another process can take a port between freePort() and listen(): start over on other ports.
  for (let attempt = 1; ; attempt++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'web-e2e-'));
    try {
      return await startServices(options, dataDir);
    } catch (error) {
      rmSync(dataDir, { recursive: true, force: true });
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt === 3) throw error;
    }
  }
}

interface ServiceSettings {
  port: number;
  dataDir: string;
  secret: string;
  /** Where the web app is served (emotion-api), for mail links and CORS. */
  appUrl: string;
}

/**
 * Starts a real auth-server in this process (auth-server's own test helper: cheap password
 * hashing, fast mail delivery, the development outbox), on `settings.port`, keeping its data in
 * `settings.dataDir` so that a restart finds the same users and sessions.
 */
function startAuthServer(settings: ServiceSettings, options: StackOptions): Promise<TestAuthServer> {
  return startTestAuthServer({
    HOST: '127.0.0.1',
    PORT: String(settings.port),
    DATA_DIR: join(settings.dataDir, 'auth'),
    JWT_SECRET_KEY: settings.secret,
    JWT_MAXAGE: String(options.jwtMaxAgeMinutes ?? 15),
    PUBLIC_APP_URL: settings.appUrl,
    CORS_ORIGINS: settings.appUrl,
    LOG_LEVEL: 'error',
  });
}

/** Starts emotion-api in this process on `settings.port`, verifying tokens with the shared secret. */
function startEmotionApi(
  settings: ServiceSettings & { authUrl: string },
  options: StackOptions,
): Promise<TestEmotionApi> {
  return startTestEmotionApi({
    HOST: '127.0.0.1',
    PORT: String(settings.port),
    DATA_DIR: join(settings.dataDir, 'api'),
    AUTH_URL: settings.authUrl,
    AUTH_JWT_SECRET: settings.secret,
    WEB_DIST: join(WEB_DIR, 'dist'),
    CORS_ORIGINS: settings.appUrl,
    MODEL_WORKERS: '1',
    LOG_LEVEL: 'error',
    ...options.apiEnv,
  });
}

async function startServices(options: StackOptions, dataDir: string): Promise<Stack> {
  const secret = randomBytes(32).toString('base64url');
  const [authPort, apiPort] = [await freePort(), await freePort()];
  const baseUrl = `http://127.0.0.1:${apiPort}`;
  const authUrl = `http://127.0.0.1:${authPort}`;
  const authSettings: ServiceSettings = { port: authPort, dataDir, secret, appUrl: baseUrl };
  const apiSettings = { port: apiPort, dataDir, secret, appUrl: baseUrl, authUrl };

  let auth: TestAuthServer | undefined;
  let api: TestEmotionApi | undefined;
  const start = async (service: Service) => {
    if (service === 'auth') auth = await startAuthServer(authSettings, options);
    else api = await startEmotionApi(apiSettings, options);
  };
  const stop = async (service: Service) => {
    const server = service === 'auth' ? auth : api;
    if (service === 'auth') auth = undefined;
    else api = undefined;
    await server?.close();
  };

  try {
    await start('auth');
    await start('api');
  } catch (error) {
    await stop('api');
    await stop('auth');
    throw error;
  }

  return {
    baseUrl,
    authUrl,
    async mailedLink(email, path, options = {}) {
      if (!auth) throw new Error('auth-server is stopped: no mail to read');
      // The mail worker delivers asynchronously: auth-server's helper waits for the mail.
      const except = (options.except ?? []).map((link) => new URL(link).searchParams.get('token'));
      const token = await auth.mailToken(email, path, new Set(except.filter((t) => t !== null)));
      return `${baseUrl}${path}?${new URLSearchParams({ token })}`;
    },
    stop,
    async restart(service) {
      if (service === 'auth' ? auth : api) throw new Error(`${service} is already running`);
      await start(service);
    },
    async close() {
      await stop('api');
      await stop('auth');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
}

/**
 * `POST /auth/register` from `context`: its cookie jar keeps emotion-api's `signup_verifier`
 * cookie, so the mailed link signs the user in only in that context.
 */
export async function registerIn(
  stack: Stack,
  context: BrowserContext,
  user: { name: string; email: string; password: string },
): Promise<void> {
  const response = await context.request.post(`${stack.baseUrl}/auth/register`, { data: user });
  if (response.status() !== 201) throw new Error(`register: ${response.status()} ${await response.text()}`);
}

/** Registers in `page`'s context and opens the mailed link there, which signs the user in. */
export async function createVerifiedUser(
  stack: Stack,
  page: Page,
  user: { name?: string; email?: string; password?: string } = {},
): Promise<{ name: string; email: string; password: string }> {
  const created = {
    name: user.name ?? 'Ada Lovelace',
    email: user.email ?? uniqueEmail(),
    password: user.password ?? PASSWORD,
  };
  await registerIn(stack, page.context(), created);
  await page.goto(await stack.mailedLink(created.email, '/verify-email'));
  await page.waitForURL('**/detect');
  return created;
}

/** The input labelled exactly `label` (Mantine's required asterisk is not part of the name). */
export function field(page: Page, label: string) {
  return page.getByRole('textbox', { name: label, exact: true });
}

/** The text of an element, trimmed ('' when it has none). */
export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').trim();
}

export type Viewport = 'desktop' | 'phone';
const VIEWPORTS: Record<Viewport, { width: number; height: number }> = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 360, height: 740 },
};

export interface Shot {
  files: string[];
  /** Pixels the page is wider than the phone viewport (0 = no sideways scrolling at 360 px). */
  phoneOverflow: number;
}

/** Saves `<name>-desktop.png` and `<name>-phone.png` of the current page. */
export async function screenshotBothWidths(page: Page, name: string): Promise<Shot> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const original = page.viewportSize();
  const files: string[] = [];
  let phoneOverflow = 0;
  for (const viewport of ['desktop', 'phone'] as const) {
    await page.setViewportSize(VIEWPORTS[viewport]);
    // Let layout, charts (ResizeObserver) and transitions settle at the new width.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 400))));
    const file = join(SCREENSHOT_DIR, `${name}-${viewport}.png`);
    await page.screenshot({ path: file, fullPage: true });
    files.push(file);
    if (viewport === 'phone') {
      phoneOverflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
    }
  }
  if (original) await page.setViewportSize(original);
  return { files, phoneOverflow };
}
