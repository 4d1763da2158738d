import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

// Real headless Chromium from Debian (/usr/bin/chromium, installed by scripts/test.sh), driven by playwright-core;
// never a downloaded browser. Every run gets a fresh profile directory, and every request that leaves loopback is
// aborted and recorded, so a test can prove the console fetches nothing from another origin.

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts/console');
export const CONSOLE_INDEX = join(import.meta.dirname, '../../console/dist/index.html');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface ConsoleBrowser {
  readonly context: BrowserContext;
  /** Requests the page tried to send anywhere but the gateway. */
  readonly external: string[];
  /** Console errors and CSP violations seen on any page. */
  readonly pageErrors: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** `alsoAllowed`: other loopback origins the test runs on purpose (the identity provider of the OIDC sign-in test). */
export async function launchConsoleBrowser(gatewayOrigin: string, alsoAllowed: readonly string[] = []): Promise<ConsoleBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (scripts/test.sh does)`);
  if (!existsSync(CONSOLE_INDEX)) throw new Error('console/dist is missing: run `npm run build:console` (scripts/test.sh does)');
  mkdirSync(ARTIFACTS, { recursive: true });
  // launchPersistentContext is how Playwright takes an explicit --user-data-dir: a new empty one per run.
  const profile = mkdtempSync(join(tmpdir(), 'clearance-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1366, height: 900 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  // Fail fast with the locator that did not appear, well within the test's own timeout.
  context.setDefaultTimeout(5_000);
  const external: string[] = [];
  const pageErrors: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if ([gatewayOrigin, ...alsoAllowed].some((o) => url.startsWith(`${o}/`)) || url.startsWith('data:')) return route.continue();
    external.push(url);
    return route.abort('blockedbyclient');
  });
  const watch = (page: Page) => {
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  };
  context.on('page', watch);
  return {
    context,
    external,
    pageErrors,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface Principal {
  readonly role: string;
  readonly sub: string;
  readonly mfa: boolean;
}

/** Signs in through the console's development role picker (embedded mode), as a person would. */
export async function signIn(page: Page, origin: string, who: Principal): Promise<void> {
  await page.goto(`${origin}/console/#/inbox`);
  await page.getByLabel('Role').selectOption(who.role);
  await page.getByLabel('User (sub)').fill(who.sub);
  const mfa = page.getByLabel('Signed in with MFA');
  if ((await mfa.isChecked()) !== who.mfa) await mfa.click();
  await page.getByRole('button', { name: `Sign in as ${who.role}` }).click();
  await expect.poll(() => page.getByTestId('signed-in-as').textContent()).toContain(who.sub);
}

export const screenshot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

/** Form controls with no accessible name (no <label>, aria-label or aria-labelledby): should be none. */
export function unlabeledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea'))
      .filter(
        (el) =>
          el.type !== 'hidden' && (el.labels?.length ?? 0) === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'),
      )
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

/** True when the page needs no horizontal scrolling at its current viewport width. */
export function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
}
