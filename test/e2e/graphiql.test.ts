import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { launchConsoleBrowser, screenshot, type ConsoleBrowser } from './browser.js';

// Issue 14, item 4: GraphiQL in dev, bundled and served by the gateway at /graphql for browsers, with the console's
// dev token picker; nothing fetched from another origin. Off when GRAPHIQL=off (the production default).

const IDE_INDEX = join(import.meta.dirname, '../../console/dist-ide/index.html');

describe('GraphiQL at /graphql', () => {
  let h: Harness;
  let origin: string;
  let browser: ConsoleBrowser;

  beforeAll(async () => {
    if (!existsSync(IDE_INDEX)) throw new Error('console/dist-ide is missing: run `npm run build:ide` (scripts/test.sh does)');
    h = await startHarness();
    origin = h.running.url;
    browser = await launchConsoleBrowser(origin);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('a browser gets the IDE; the dev role picker signs in; a query runs; nothing leaves the origin', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${origin}/graphql`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
    await page.getByLabel('Role').selectOption('auditor');
    await page.getByLabel('User (sub)').fill('ide-user');
    await page.getByRole('button', { name: 'Use a dev token as auditor' }).click();
    await expect.poll(() => page.getByTestId('ide-signed-in').textContent()).toBe('token set');
    await page.locator('.graphiql-execute-button').click({ timeout: 15_000 });
    await expect.poll(() => page.locator('.graphiql-response').textContent(), { timeout: 15_000 }).toContain('ide-user');
    await screenshot(page, 'graphiql');
    expect(browser.external).toEqual([]);
    expect(browser.pageErrors.filter((e) => /Content Security Policy|Refused to/.test(e))).toEqual([]);
    await page.close();
  });

  it('GraphQL clients still get GraphQL at /graphql (JSON GET and POST); only a browser navigation gets the page', async () => {
    const token = await h.token({ roles: ['auditor'] });
    const get = await fetch(`${origin}/graphql?query=${encodeURIComponent('{ me { sub } }')}`, {
      headers: { accept: 'text/html, application/json', authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
    });
    expect(await get.json()).toEqual({ data: { me: { sub: 'auditor-1' } } });
    const post = await h.gql(token, '{ me { sub } }');
    expect(post.body).toEqual({ data: { me: { sub: 'auditor-1' } } });
    const asset = await fetch(`${origin}/graphql/ide/assets/../../../package.json`);
    expect(asset.status).toBe(404);
  });

  it('GRAPHIQL=off: no page and no IDE files', async () => {
    const off = await startHarness({ env: { GRAPHIQL: 'off' } });
    try {
      const page = await fetch(off.url, { headers: { accept: 'text/html' } });
      expect(page.headers.get('content-type')).not.toContain('text/html');
      expect(page.status).toBe(400);
      const html = await (await fetch(`${origin}/graphql`, { headers: { accept: 'text/html' } })).text();
      const script = /src="(\/graphql\/ide\/assets\/[^"]+)"/.exec(html)![1]!;
      expect((await fetch(`${off.running.url}${script}`)).status).toBe(404);
    } finally {
      await off.stop();
    }
  });
});
