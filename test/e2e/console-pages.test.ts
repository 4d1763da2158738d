import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARROLL } from '../connectors/ehr/helpers.js';
import { startHarness, type Harness } from '../support/harness.js';
import { fitsWidth, launchConsoleBrowser, screenshot, signIn, unlabeledControls, type ConsoleBrowser, type Principal } from './browser.js';

// Issue 15: the console's pages for emergency stops, setting history (rollback, promotion, diff) and the delivery
// log, in Debian's Chromium against the real gateway. Each page: it renders, a viewer who may act does, a viewer
// who may not sees the action disabled with the API's own reason (asked through `explain`), and it fits 390 px.

const ENG: Principal = { role: 'integration-engineer', sub: 'eng-ana', mfa: true };
const BILL: Principal = { role: 'billing-manager', sub: 'bill-bea', mfa: true };
const SAM: Principal = { role: 'security-admin', sub: 'sec-sam', mfa: true };
const KEY = 'billing.reminderCadenceDays';
const DOCS = join(import.meta.dirname, '../../docs/console');

let h: Harness;
let origin: string;
let browser: ConsoleBrowser;

beforeAll(async () => {
  h = await startHarness();
  origin = h.running.url;
  browser = await launchConsoleBrowser(origin);
  mkdirSync(DOCS, { recursive: true });
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

/** The page at a phone's width: no horizontal scrolling; a small screenshot for the README. */
async function onPhone(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await fitsWidth(page)).toBe(true);
  await screenshot(page, `${name}-390`);
  await page.screenshot({ path: join(DOCS, `${name}.png`) });
}

async function as(who: Principal, hash: string): Promise<Page> {
  const page = await browser.newPage();
  await signIn(page, origin, who);
  await page.evaluate((h2) => {
    location.hash = h2;
  }, hash);
  return page;
}

describe('emergency stops', () => {
  it('an integration engineer stops the EHR connector at once, then proposes its resume as a governed change', async () => {
    const page = await as(ENG, '#/stops');
    await page.getByRole('heading', { name: 'Emergency stops' }).waitFor();
    expect(await unlabeledControls(page)).toEqual([]);
    const stop = page.getByRole('button', { name: 'Stop connector:ehr' });
    expect(await stop.isDisabled()).toBe(true); // a reason is required first
    await page.getByLabel('Reason (required)').fill('EHR returning wrong patients');
    await expect.poll(() => stop.isEnabled()).toBe(true);
    await stop.click();
    const card = page.getByTestId('stop-connector:ehr');
    await card.waitFor();
    expect(await card.getByTestId('stop-state').textContent()).toMatch(/^Stopped by eng-ana/);
    await card.getByLabel('Why resume').fill('Vendor fixed the patient matching');
    await card.getByRole('button', { name: 'Propose resume' }).click();
    const pending = card.getByTestId('resume-pending');
    await pending.waitFor();
    expect(await pending.textContent()).toMatch(/Resume waiting for approval: needs \d more/);
    // The API agrees: the connector is still stopped and one resume is open.
    const token = await h.token({ sub: 'eng-ana', roles: ['integration-engineer'], mfa: true });
    const r = await h.gql<{ stopState: { stopped: boolean; pendingResume: { id: string } | null } }>(token,
      '{ stopState(target: "connector:ehr", environment: PRODUCTION) { stopped pendingResume { id } } }');
    expect(r.body.data?.stopState.stopped).toBe(true);
    expect(r.body.data?.stopState.pendingResume?.id).toBeTruthy();
    expect(await pending.getByRole('link', { name: 'Open the change' }).getAttribute('href')).toBe(
      `#/change/${r.body.data?.stopState.pendingResume?.id}`,
    );
    await screenshot(page, 'stops');
    await onPhone(page, 'emergency-stops');
    await page.close();
  });

  it('a billing manager may not stop the EHR connector (the API says why) but may stop billing automation', async () => {
    const page = await as(BILL, '#/stops');
    await page.getByRole('heading', { name: 'Emergency stops' }).waitFor();
    await page.getByLabel('Reason (required)').fill('test');
    const reason = page.getByTestId('cannot-stop');
    await reason.waitFor();
    expect(await page.getByRole('button', { name: 'Stop connector:ehr' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Stop connector:ehr' }).getAttribute('aria-describedby')).toBe('cannot-stop');
    const explained = await h.gql<{ explain: { message: string } }>(
      await h.token({ sub: 'bill-bea', roles: ['billing-manager'], mfa: true }),
      '{ explain(action: "stop:connector:ehr", environment: PRODUCTION) { message } }',
    );
    expect(await reason.textContent()).toBe(explained.body.data?.explain.message);
    await page.getByLabel('Target').selectOption('automation:billing');
    await expect.poll(() => page.getByRole('button', { name: 'Stop automation:billing' }).isEnabled()).toBe(true);
    expect(await page.getByTestId('cannot-stop').count()).toBe(0);
    await screenshot(page, 'stops-guarded');
    await page.close();
  });
});

describe('setting history', () => {
  beforeAll(async () => {
    const token = await h.token({ sub: 'bill-bob', roles: ['billing-manager'], mfa: true });
    for (const value of [[5, 10, 20], [3, 7]]) {
      const r = await h.gql<{ updateSetting: { status: string } }>(
        token,
        'mutation($v: JSON) { updateSetting(input: { key: "billing.reminderCadenceDays", environment: STAGING, value: $v, reason: ' +
        '"cadence" }) { status } }',
        { v: value },
      );
      expect(r.body.data?.updateSetting.status).toBe('APPLIED');
    }
  });

  it('a billing manager sees the versions and their diff, rolls back (applied in staging) and proposes promotion', async () => {
    const page = await as(BILL, `#/history/${KEY}`);
    await page.getByLabel('Environment').selectOption('STAGING');
    await page.getByTestId('version-2').waitFor();
    expect(await page.getByTestId('history-current').textContent()).toBe('2');
    expect(await unlabeledControls(page)).toEqual([]);
    await page.getByLabel('From').selectOption('1');
    await expect.poll(() => page.getByTestId('history-diff').textContent()).toMatch(/\/2Remove20/);
    await page.getByLabel('Reason for a rollback or promotion').fill('Back to the longer cadence');
    await page.getByTestId('version-1').getByRole('button', { name: 'Roll back to 1' }).click();
    await expect.poll(() => page.getByTestId('history-result').textContent()).toMatch(/^Applied\./);
    await expect.poll(() => page.getByTestId('history-current').textContent()).toBe('3');
    // Promotion files a production change (MEDIUM there), and the page shows it instead of a second button press.
    await page.getByRole('button', { name: 'Promote staging value to production' }).click();
    await expect.poll(() => page.getByTestId('history-result').textContent()).toMatch(/^Sent for approval: needs \d more/);
    expect(await page.getByRole('button', { name: 'Promote staging value to production' }).isDisabled()).toBe(true);
    expect(await page.getByTestId('version-1').getByRole('button', { name: 'Roll back to 1' }).isDisabled()).toBe(true);
    await screenshot(page, 'history');
    await onPhone(page, 'setting-history');
    const token = await h.token({ sub: 'bill-bea', roles: ['billing-manager'], mfa: true });
    const r = await h.gql<{ setting: { value: number[] } }>(token, `{ setting(key: "${KEY}", environment: STAGING) { value } }`);
    expect(r.body.data?.setting.value).toEqual([5, 10, 20]);
    await page.close();
  });

  it('an integration engineer sees the history but rollback is disabled with the API’s reason', async () => {
    const page = await as(ENG, `#/history/${KEY}`);
    await page.getByLabel('Environment').selectOption('STAGING');
    await page.getByTestId('version-1').waitFor();
    const reason = page.getByTestId('cannot-rollback');
    await reason.waitFor();
    expect(await reason.textContent()).toMatch(/\S/);
    expect(await page.getByTestId('version-1').getByRole('button', { name: 'Roll back to 1' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Promote staging value to production' }).isDisabled()).toBe(true);
    await screenshot(page, 'history-guarded');
    await page.close();
  });
});

describe('delivery log', () => {
  it('a security admin reads the notification delivery log and switches outcome', async () => {
    const page = await as(SAM, '#/deliveries');
    await page.getByRole('heading', { name: 'Delivery log' }).waitFor();
    await page.getByTestId('deliveries-empty').waitFor();
    await page.getByRole('button', { name: 'Failed' }).click();
    expect(await page.getByRole('button', { name: 'Failed' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('deliveries-empty').waitFor();
    await screenshot(page, 'deliveries');
    await onPhone(page, 'delivery-log');
    await page.close();
  });

  it('a role without the audit data class sees the log locked with the API’s reason, and no event is requested', async () => {
    const page = await browser.newPage();
    await signIn(page, origin, ENG);
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/graphql')) asked.push(r.postData() ?? '');
    });
    await page.evaluate(() => {
      location.hash = '#/deliveries';
    });
    await page.getByTestId('deliveries-locked').waitFor();
    expect(await page.getByTestId('deliveries-locked').textContent()).toMatch(/locked/);
    expect(asked.some((b) => b.includes('ConsoleDeliveryLog('))).toBe(false);
    await page.close();
  });
});

describe('access review and break-glass review', () => {
  it('a security admin keeps a clinician’s break-glass use with a comment; it leaves the review list', async () => {
    const cruz = await h.token({ sub: 'dr-cruz', roles: ['clinician'], departments: ['cardiology'] });
    const bg = await h.gql<{ breakGlass: { id: string } }>(
      cruz,
      'mutation ($id: ID!) { breakGlass(patientId: $id, reason: "Unconscious patient in the ED") { id } }',
      { id: CARROLL },
    );
    expect(bg.body.errors).toBeUndefined();
    const page = await as(SAM, '#/access-review');
    const card = page.getByTestId('break-glass-list').getByTestId('review-dr-cruz');
    await card.waitFor();
    expect(await card.textContent()).toContain('Unconscious patient in the ED');
    expect(await unlabeledControls(page)).toEqual([]);
    await screenshot(page, 'access-review');
    await onPhone(page, 'access-review');
    await card.getByLabel('Review comment').fill('Checked with the ED lead: justified');
    await card.getByRole('button', { name: 'Keep' }).click();
    await page.getByTestId('break-glass-empty').waitFor();
    const review = await h.gql<{ accessOf: { id: string; reviews: { by: string; decision: string; comment: string }[] }[] }>(
      await h.token({ sub: 'sec-sam', roles: ['security-admin'], mfa: true }),
      '{ accessOf(assignee: "dr-cruz") { id reviews { by decision comment } } }',
    );
    expect(review.body.data?.accessOf.find((g) => g.id === bg.body.data?.breakGlass.id)?.reviews)
      .toEqual([{ by: 'sec-sam', decision: 'KEEP', comment: 'Checked with the ED lead: justified' }]);
    await page.close();
  });

  it('an integration engineer sees access review locked with the API’s reason', async () => {
    const page = await as(ENG, '#/access-review');
    await page.getByTestId('review-locked').waitFor();
    expect(await page.getByTestId('review-locked').textContent()).toMatch(/locked/);
    await page.close();
  });
});

describe('policy versions', () => {
  it('a security admin sees the versions and the rule-by-rule diff', async () => {
    const page = await as(SAM, '#/policy');
    await page.getByTestId('policy-versions').waitFor();
    await expect.poll(() => page.getByTestId('policy-versions').textContent()).toContain('built-in default');
    await page.getByTestId('policy-diff').waitFor();
    expect(await page.getByTestId('policy-diff').textContent()).toMatch(/No difference between version 0 and version 0/);
    await screenshot(page, 'policy');
    await onPhone(page, 'policy-versions');
    await page.close();
  });

  it('a role without the configuration data class sees policy versions locked', async () => {
    const page = await as({ role: 'front-desk', sub: 'fd-fay', mfa: false }, '#/policy');
    await page.getByTestId('policy-locked').waitFor();
    await page.close();
  });
});

describe('connectors', () => {
  const ADMIN: Principal = { role: 'system-admin', sub: 'sys-sol', mfa: true };

  // testConnector is for whoever may configure the connector (the gateway refuses the rest): a configuration reader
  // sees the button disabled with the reason, never a button that answers FORBIDDEN.
  it('a support user, who reads configuration but may not configure the connector, cannot test it', async () => {
    const page = await as({ role: 'support', sub: 'sup-sue', mfa: false }, '#/connectors');
    const card = page.getByTestId('connector-ehr');
    await card.waitFor();
    await card.getByTestId('connector-ehr-cannot-test').waitFor();
    expect(await card.getByRole('button', { name: 'Test connection' }).isDisabled()).toBe(true);
    await page.close();
  });

  it('a system admin tests the EHR connector (step report) and generates a key, which queues as a governed change', async () => {
    const page = await as(ADMIN, '#/connectors');
    const card = page.getByTestId('connector-ehr');
    await card.waitFor();
    expect(await unlabeledControls(page)).toEqual([]);
    await card.getByRole('button', { name: 'Test connection' }).click();
    const report = card.getByTestId('connector-test');
    await report.waitFor();
    expect(await report.locator('li').count()).toBeGreaterThan(0);
    await card.getByLabel('Client id').fill('clearance-staging');
    await card.getByLabel('Reason for a change').fill('Move to SMART Backend Services');
    await expect.poll(() => card.getByRole('button', { name: 'Generate key' }).isEnabled()).toBe(true);
    await card.getByRole('button', { name: 'Generate key' }).click();
    const filed = card.getByTestId('connector-changes');
    await filed.waitFor();
    expect(await filed.textContent()).toContain('integration.ehr.credentials');
    const href = await filed.getByRole('link', { name: 'Open the change' }).getAttribute('href');
    expect(href).toMatch(/^#\/change\/.+/);
    // Until that change is decided, nothing else is proposed from this card (no second key by a second click).
    if ((await filed.textContent())?.includes('sent for approval')) {
      expect(await card.getByRole('button', { name: 'Generate key' }).isDisabled()).toBe(true);
    }
    await screenshot(page, 'connectors');
    await onPhone(page, 'connectors');
    await page.close();
  });

  it('an integration engineer may not touch credentials: refused with the API’s reason, and the actions stay disabled', async () => {
    const page = await as(ENG, '#/connectors');
    const card = page.getByTestId('connector-ehr');
    await card.waitFor();
    // The API has no explain for write:credentials (see ConnectorsPage): the refusal itself carries the reason.
    await expect.poll(() => card.getByRole('button', { name: 'Generate key' }).isEnabled()).toBe(true);
    await card.getByRole('button', { name: 'Generate key' }).click();
    const reason = card.getByTestId('connector-ehr-cannot-credentials');
    await reason.waitFor();
    expect(await reason.textContent()).toMatch(/^Not allowed to write credentials data.*system-admin/);
    expect(await card.getByRole('button', { name: 'Generate key' }).isDisabled()).toBe(true);
    expect(await card.getByRole('button', { name: 'Generate key' }).getAttribute('aria-describedby')).toBe(
      'connector-ehr-cannot-credentials',
    );
    expect(await card.getByRole('button', { name: 'Rotate secret' }).isDisabled()).toBe(true);
    // Configuring the base URL is the engineer's (the API says ALLOW), and stays offered.
    expect(await card.getByRole('button', { name: 'Propose configuration' }).isEnabled()).toBe(true);
    await screenshot(page, 'connectors-guarded');
    await page.close();
  });
});

it('nothing left loopback and no page error', () => {
  expect(browser.external).toEqual([]);
  expect(browser.pageErrors).toEqual([]);
});
