import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { startTestIdp, type TestIdp } from '../support/oidc-idp.js';
import { launchConsoleBrowser, screenshot, type ConsoleBrowser } from './browser.js';

// Issue 15: the console signs in at a real OpenID provider (oidc-provider on loopback): authorization code with
// PKCE as a public client, the IdP's JWT access token is what the gateway verifies (keys from the issuer's
// discovery document, claims mapped to tenant, roles, MFA), and an expired session goes back to sign-in and then
// back to the page the user was on. Everything through the UI in Debian's Chromium.

let idp: TestIdp;
let h: Harness;
let origin: string;
let browser: ConsoleBrowser;

// The test IdP's own development login page imports a web font; that page is the IdP's, not the console's.
const idpPageFonts = (url: string) => url.startsWith('https://fonts.googleapis.com/');

beforeAll(async () => {
  idp = await startTestIdp({
    audience: 'clearance',
    accounts: {
      'sec-sam': { tenant: 'acme', roles: ['security-admin'], amr: ['pwd', 'otp'] },
      'eng-ana': { tenant: 'acme', roles: ['integration-engineer'] },
    },
  });
  // No clock tolerance: the short-lived token of the expiry test is refused the second it expires.
  h = await startHarness({ env: { OIDC_ISSUER: idp.issuer, OIDC_CLIENT_ID: idp.clientId, JWT_CLOCK_TOLERANCE_SEC: '0' } });
  origin = h.running.url;
  idp.register(`${origin}/console/`);
  browser = await launchConsoleBrowser(origin, [idp.issuer]);
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await h?.stop();
  await idp?.stop();
});

/** A fresh sign-in at the IdP's login page (its session cookie from an earlier test is dropped first). */
async function signInAtIdp(page: Page, login: string): Promise<void> {
  await browser.context.clearCookies();
  await page.getByRole('button', { name: 'Sign in with identity provider' }).click();
  await page.waitForURL((u) => u.href.startsWith(idp.issuer));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
}

describe('console sign-in with OpenID Connect (code flow + PKCE)', () => {
  it('the gateway tells the console its IdP, allows that origin only, and offers no dev role picker', async () => {
    const config = await fetch(`${origin}/console/config.json`);
    expect(await config.json()).toEqual({ oidc: { issuer: idp.issuer, clientId: idp.clientId } });
    const csp = config.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`connect-src 'self' ${idp.issuer}`);
    expect(csp.match(/https?:\/\/[^\s;]+/g)).toEqual([idp.issuer]);
    expect((await fetch(`${origin}/console/dev-token`)).status).toBe(404);
  });

  it('signs in at the IdP, lands on the page asked for, and calls the API with the IdP token', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/console/#/audit`);
    await page.getByRole('heading', { name: 'Sign in with your organisation' }).waitFor();
    expect(await page.getByLabel('Role').count()).toBe(0);
    await screenshot(page, 'oidc-sign-in');
    await signInAtIdp(page, 'sec-sam');
    await expect.poll(() => page.getByTestId('signed-in-as').textContent(), { timeout: 10_000 }).toContain('sec-sam');
    const who = (await page.getByTestId('signed-in-as').textContent()) ?? '';
    expect(who).toContain('security-admin');
    expect(who).toContain('MFA');
    expect(who).not.toContain('no MFA');
    expect(page.url()).toBe(`${origin}/console/#/audit`);
    // The code and state are gone from the address bar; the token is the IdP's, for the gateway's audience.
    const token = (await page.evaluate(() => sessionStorage.getItem('clearance.console.token'))) ?? '';
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: idp.issuer, aud: 'clearance', sub: 'sec-sam', tenant: 'acme', roles: ['security-admin'] });
    const me = await h.gql<{ me: { sub: string; roles: string[]; mfa: boolean } }>(token, '{ me { sub roles mfa } }');
    expect(me.status).toBe(200);
    expect(me.body.data?.me).toEqual({ sub: 'sec-sam', roles: ['security-admin'], mfa: true });
    await screenshot(page, 'oidc-signed-in');
    expect(browser.external.filter((u) => !idpPageFonts(u))).toEqual([]);
    await page.close();
  });

  it('a password-only sign-in is mapped to no MFA (amr), another role to its own view', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/console/`);
    await signInAtIdp(page, 'eng-ana');
    await expect.poll(() => page.getByTestId('signed-in-as').textContent(), { timeout: 10_000 }).toContain('eng-ana');
    expect(await page.getByTestId('signed-in-as').textContent()).toContain('no MFA');
    expect(page.url()).toBe(`${origin}/console/#/inbox`);
    await page.close();
  });

  it('a sign-in whose state does not match (a forged callback) is refused', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/console/?code=forged&state=forged`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/not started in this tab/);
    expect(await page.getByTestId('signed-in-as').count()).toBe(0);
    await page.close();
  });

  it('an expired session returns to sign-in and, after it, to the page the user was on', async () => {
    const page = await browser.newPage();
    idp.accessTokenTtl = 2;
    await page.goto(`${origin}/console/#/inbox`);
    await signInAtIdp(page, 'sec-sam');
    await expect.poll(() => page.getByTestId('signed-in-as').textContent(), { timeout: 10_000 }).toContain('sec-sam');
    idp.accessTokenTtl = 3600;
    // Wait past the token's exp (2 s lifetime, no clock tolerance on the gateway).
    await new Promise((r) => setTimeout(r, 3_500));
    await page.evaluate(() => {
      location.hash = '#/settings';
    });
    await page.getByRole('alert').waitFor({ timeout: 10_000 });
    expect(await page.getByRole('alert').textContent()).toMatch(/session (has )?expired/);
    await screenshot(page, 'oidc-session-expired');
    // The IdP still has its own session: sign-in goes straight back, to the settings page.
    await page.getByRole('button', { name: 'Sign in with identity provider' }).click();
    await expect.poll(() => page.getByTestId('signed-in-as').textContent(), { timeout: 10_000 }).toContain('sec-sam');
    expect(page.url()).toBe(`${origin}/console/#/settings`);
    await page.close();
  });
}, 60_000);
