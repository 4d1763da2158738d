import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { fitsWidth, launchConsoleBrowser, screenshot, signIn, unlabeledControls, type ConsoleBrowser, type Principal } from './browser.js';

// Issue 9: the approver console in real headless Chromium against the real gateway (embedded mode). Everything is
// done through the UI, by different principals each in their own tab (the token lives in sessionStorage, per tab).

const KEY = 'integration.ehr.writeBackEnabled';
const ANA: Principal = { role: 'integration-engineer', sub: 'eng-ana', mfa: true };
const BEN: Principal = { role: 'integration-engineer', sub: 'eng-ben', mfa: true };
const SAM: Principal = { role: 'security-admin', sub: 'sec-sam', mfa: true };
const text = async (page: Page, testId: string) => (await page.getByTestId(testId).first().textContent()) ?? '';

let h: Harness;
let origin: string;
let browser: ConsoleBrowser;

beforeAll(async () => {
  h = await startHarness();
  origin = h.running.url;
  browser = await launchConsoleBrowser(origin);
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

describe('approver console: the governed write-back change, by three people', () => {
  let changeUrl = '';

  it('an integration engineer proposes write-back in production from the settings page', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/console/`);
    await page.getByLabel('Role').waitFor();
    expect(await unlabeledControls(page)).toEqual([]);
    await signIn(page, origin, ANA);
    // Keyboard: the first Tab reaches the skip link, the next ones the navigation.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Approvals');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByLabel('Environment').waitFor();
    expect(page.url()).toMatch(/#\/settings$/);
    expect(await unlabeledControls(page)).toEqual([]);
    await page.getByLabel('Environment').selectOption('PRODUCTION');
    await page.getByLabel('Filter').fill('writeBack');
    const card = page.getByTestId(`setting-${KEY}`);
    expect(await card.getByTestId('setting-owner').textContent()).toContain('Owner: technical');
    expect(await card.getByTestId('setting-status').textContent()).toBe('Active (default)');
    await card.getByLabel('Enabled').check();
    expect(await card.getByTestId('setting-status').textContent()).toBe('Draft');
    await card.getByLabel(/Reason/).fill('Go-live of note write-back');
    await card.getByLabel('Ticket').fill('CHG-1042');
    await card.getByRole('button', { name: 'Propose change' }).click();
    const result = card.getByTestId('setting-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('Sent for approval: needs 2 more from: technical or security');
    await result.getByRole('link', { name: 'Open the change' }).click();
    await page.getByTestId('change-detail').waitFor();
    changeUrl = page.url();

    // The requester's own approve button is there, disabled, with the API's reason next to it.
    const approve = page.getByRole('button', { name: 'Approve' });
    expect(await approve.isDisabled()).toBe(true);
    expect(await text(page, 'cannot-approve')).toMatch(/someone else must approve/);
    expect(await approve.getAttribute('aria-describedby')).toBe('cannot-approve');
    expect(await text(page, 'change-status')).toBe('Pending');
    await screenshot(page, 'detail-self-approval-disabled');
    await page.close();
  });

  it('a second integration engineer with MFA sees it in the inbox and approves: 1 more from security', async () => {
    const page = await browser.newPage();
    await signIn(page, origin, BEN);
    const row = page.getByTestId('inbox').locator('tr', { hasText: KEY });
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells.join(' | ')).toMatch(/eng-ana.*Go-live of note write-back.*CHG-1042.*High risk/);
    expect(cells.join(' | ')).toContain('Production');
    expect(await row.textContent()).toContain('You can approve');
    expect(await row.locator('time').first().textContent()).toMatch(/ago|now/);
    expect(await row.locator('time').nth(1).textContent()).toMatch(/in 3 days/);
    await screenshot(page, 'inbox');
    // Usable at laptop width: nothing needs horizontal scrolling at 1280 px.
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await fitsWidth(page)).toBe(true);

    await row.getByRole('link', { name: KEY }).click();
    await page.getByTestId('change-detail').waitFor();
    // The exact diff: the whole value goes from false to true, highlighted on both sides.
    expect(await page.getByTestId('diff-table').locator('tbody tr').allTextContents()).toEqual(['(whole value)Changedfalsetrue']);
    expect(await page.getByTestId('json-before').locator('mark').allTextContents()).toEqual(['false']);
    expect(await page.getByTestId('json-after').locator('mark').allTextContents()).toEqual(['true']);
    expect(await fitsWidth(page)).toBe(true);
    expect(await unlabeledControls(page)).toEqual([]);
    await page.getByLabel('Comment (optional)').fill('Mappings reviewed');
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => text(page, 'approval-summary')).toBe('needs 1 more from: security (with MFA)');
    expect(await text(page, 'approvals')).toMatch(/eng-ben as integration-engineer \(technical\), with MFA/);
    expect(await text(page, 'approvals')).toContain('Mappings reviewed');
    await page.close();
  });

  it('a security admin with MFA approves last: APPLIED, and the setting is on at version 1', async () => {
    const page = await browser.newPage();
    await signIn(page, origin, SAM);
    await page.goto(changeUrl);
    await page.getByTestId('change-detail').waitFor();
    expect(await text(page, 'approval-summary')).toBe('needs 1 more from: security (with MFA)');
    await screenshot(page, 'detail');
    await page.getByLabel('Comment (optional)').fill('OK for go-live');
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => text(page, 'change-status')).toBe('Applied');
    expect(await text(page, 'approval-summary')).toBe('approved: 2 of 2');
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await screenshot(page, 'detail-applied');

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Filter').fill('writeBack');
    const card = page.getByTestId(`setting-${KEY}`);
    await expect.poll(() => card.getByTestId('setting-status').textContent()).toBe('Active');
    expect(await card.getByTestId('setting-owner').textContent()).toContain('version 1');
    // The API agrees: applied once, by the trail the console produced.
    const token = await h.token({ roles: ['security-admin'], sub: 'check' });
    const r = await h.gql<{ settingHistory: { version: number; value: unknown; changedBy: string }[] }>(
      token,
      `{ settingHistory(key: "${KEY}", environment: PRODUCTION) { version value changedBy } }`,
    );
    expect(r.body.data?.settingHistory).toEqual([{ version: 1, value: true, changedBy: 'eng-ana' }]);
    await page.close();
  });
});

describe('approver console: locks, rejections, audit', () => {
  it('a setting the caller may not edit is locked with its owner and reason, and access can be requested', async () => {
    const page = await browser.newPage();
    await signIn(page, origin, ANA);
    await page.goto(`${origin}/console/#/settings`);
    await page.getByLabel('Filter').fill('ai.safetyThreshold');
    const card = page.getByTestId('setting-ai.safetyThreshold');
    expect(await card.getByTestId('setting-owner').textContent()).toContain('Owner: clinical (clinical-admin)');
    expect(await card.getByTestId('setting-locked-reason').textContent()).toMatch(
      /owner: clinical-admin \(clinical\)\. Ask with requestAccess\./,
    );
    expect(await card.getByLabel('Value (JSON)').isDisabled()).toBe(true);
    await screenshot(page, 'settings-locked');
    await card.getByRole('button', { name: 'Request access…' }).click();
    await card.getByLabel('Justification (required)').fill('Cover for the medical director this week');
    await card.getByRole('button', { name: 'Send access request' }).click();
    await card.getByTestId('setting-result').waitFor();
    expect(await card.getByTestId('setting-result').textContent()).toMatch(/Access request sent: needs/);
    // It ends in the queue.
    await page.getByRole('link', { name: 'Approvals' }).click();
    await page.getByTestId('tab-mine').click();
    await page.getByTestId('inbox').locator('tr', { hasText: 'Cover for the medical director' }).waitFor();
    await page.close();
  });

  it('a rejected change shows who rejected it and their comment; rejecting needs a comment', async () => {
    const ca1 = await browser.newPage();
    await signIn(ca1, origin, { role: 'clinical-admin', sub: 'dr-cho', mfa: true });
    await ca1.goto(`${origin}/console/#/settings`);
    await ca1.getByLabel('Filter').fill('ai.safetyThreshold');
    const card = ca1.getByTestId('setting-ai.safetyThreshold');
    await card.getByLabel('Value (JSON)').fill('{ "threshold": 0.6 }');
    await card.getByLabel(/Reason/).fill('Fewer escalations during the pilot');
    await card.getByRole('button', { name: 'Propose change' }).click();
    await card.getByTestId('setting-result').getByRole('link', { name: 'Open the change' }).click();
    await ca1.getByTestId('change-detail').waitFor();
    const url = ca1.url();
    expect(await ca1.getByTestId('diff-table').locator('tbody tr').allTextContents()).toEqual(['/thresholdChanged0.80.6']);
    expect(await ca1.getByTestId('json-after').locator('mark').allTextContents()).toEqual(['  "threshold": 0.6']);

    const ca2 = await browser.newPage();
    await signIn(ca2, origin, { role: 'clinical-admin', sub: 'dr-dee', mfa: true });
    await ca2.goto(url);
    const reject = ca2.getByRole('button', { name: 'Reject' });
    expect(await reject.isDisabled()).toBe(true);
    await ca2.getByLabel('Reason for rejecting (required)').fill('Not below 0.8 without the safety board');
    await reject.click();
    await expect.poll(() => text(ca2, 'change-status')).toBe('Rejected');

    await ca1.reload();
    await ca1.getByTestId('rejection').waitFor();
    expect(await text(ca1, 'rejection')).toMatch(/Rejected by dr-dee \(clinical\).*Not below 0.8 without the safety board/);
    await screenshot(ca1, 'detail-rejected');
    // And the inbox filter finds it among the rejected.
    await ca1.goto(`${origin}/console/#/inbox`);
    await ca1.getByTestId('tab-decided').click();
    await ca1.getByLabel('Status').selectOption('REJECTED');
    await ca1.getByTestId('inbox').locator('tr', { hasText: 'ai.safetyThreshold' }).waitFor();
    await ca1.close();
    await ca2.close();
  });

  it('an auditor filters audit events and verifies the chain; export is left to the CLI', async () => {
    const page = await browser.newPage();
    await signIn(page, origin, { role: 'auditor', sub: 'aud-ali', mfa: false });
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByLabel('Actor').fill('sec-sam');
    await page.getByLabel('Category').selectOption('change');
    expect(await unlabeledControls(page)).toEqual([]);
    await page.getByRole('button', { name: 'Search' }).click();
    const rows = page.getByTestId('audit-events').locator('tbody tr');
    await rows.first().waitFor();
    expect((await rows.allTextContents()).join('\n')).toMatch(/change\.approved.*sec-sam/);
    await page.getByRole('button', { name: 'Verify the log' }).click();
    await expect.poll(() => text(page, 'audit-verify')).toMatch(/^Verified: \d+ records/);
    expect(await page.textContent('main')).toContain('npx clearance audit export');
    await page.close();
  });

  it('a role without the audit data class sees the audit tab locked with the API’s reason, not an error', async () => {
    const page = await browser.newPage();
    await signIn(page, origin, ANA);
    await page.getByRole('link', { name: 'Audit' }).click();
    const locked = page.getByTestId('audit-locked');
    await locked.waitFor();
    expect(await locked.textContent()).toMatch(/audit log is locked.*Not allowed to read audit data/i);
    expect(await page.locator('[role=alert]').count()).toBe(0);
    await page.close();
  });

  it('the console fetched nothing from another origin and logged no errors (CSP included)', () => {
    expect(browser.external).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  });
});
