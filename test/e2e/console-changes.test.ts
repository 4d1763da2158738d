import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import {
  ARTIFACTS,
  fitsWidth,
  launchConsoleBrowser,
  screenshot,
  signIn,
  unlabeledControls,
  type ConsoleBrowser,
  type Principal,
} from './browser.js';
import { propose, type Kind } from './change-fixtures.js';

// Issue 15: every change in words, the actionable inbox for every approver, no double submit, withdraw, live updates,
// honest states and the phone layout, in Debian's Chromium against the real gateway (embedded mode).

const SAM: Principal = { role: 'security-admin', sub: 'sec-sam', mfa: true };
const ANA: Principal = { role: 'integration-engineer', sub: 'eng-ana', mfa: true };
const BEN: Principal = { role: 'integration-engineer', sub: 'eng-ben', mfa: true };
const text = async (page: Page, testId: string) => (await page.getByTestId(testId).first().textContent()) ?? '';

let h: Harness;
let origin: string;
let browser: ConsoleBrowser;
const ids = {} as Record<Kind, string>;

beforeAll(async () => {
  h = await startHarness();
  origin = h.running.url;
  // The medication proposal first: its fixture opens and closes production write-back around it.
  for (const kind of [
    'medication',
    'setting',
    'listSetting',
    'connector',
    'assignment',
    'accessRequest',
    'refund',
    'policy',
    'resume',
  ] as const) {
    ids[kind] = await propose(h, kind);
  }
  browser = await launchConsoleBrowser(origin);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

/** Signs in with a pasted token (for claims the role picker does not set, such as departments). */
async function signInWithToken(page: Page, token: string): Promise<void> {
  await page.goto(`${origin}/console/#/inbox`);
  await page.getByLabel('Bearer token').fill(token);
  await page.getByRole('button', { name: 'Use token' }).click();
  await page.getByTestId('signed-in-as').waitFor();
}

const openChange = async (page: Page, id: string) => {
  await page.goto(`${origin}/console/#/change/${id}`);
  // This change's page, not the one still shown while the hash changes.
  await page.locator(`[data-testid=change-detail][data-change-id="${id}"]`).waitFor();
};

describe('every change type in words, the raw JSON one click away', () => {
  const cases: [Kind, RegExp, string][] = [
    ['setting', /configuration of the EHR connector \(writeBackEnabled\) in Production:\s*Value from false to true/, 'setting'],
    ['listSetting', /Changes the setting messaging\.channels in Production:\s*sms removed/, 'list-setting'],
    ['connector', /configuration of the EHR connector \(scopes\).*patient\/Patient\.rs removed.*system\/Patient\.r added/, 'connector'],
    ['assignment', /Gives ops-olu the role ops-manager .*standing \(no expiry\).*Covers the night shift/, 'assignment'],
    // Waiting: its time counts from the approval that applies it, so the duration, not the request's provisional end.
    ['accessRequest', /eng-ana asks for the role clinical-admin .*Production, for \d+ minutes? from the approval that applies it/, 'access-request'],
    // A security admin reads configuration, not financial records: the refund is withheld whole from them.
    ['refund', /Refunds \(amount not shown\) on invoice \(not shown to you\)\./, 'refund'],
    // A security admin reads configuration, not the clinical record: the proposed resource is withheld whole from them.
    [
      'medication',
      /The AI agent triage-bot proposes writing a (MedicationRequest|record).*Patient(0ac13d55-d566-450a-aea0-f6a71f1ad73b|not shown to you)/,
      'medication',
    ],
    [
      'policy',
      /Policy version 2026-11-22\.4 → 2026-12-01\.1, rule by rule:.*Role nurse:.*read \(department scope\): observations removed/,
      'policy',
    ],
    ['resume', /Resumes connector:ehr in Production\..*stopped by sec-fix at .*because “duplicate notes”/, 'resume'],
  ];

  it.each(cases)('%s', async (kind, words, shot) => {
    const page = await browser.newPage();
    await signIn(page, origin, SAM);
    await openChange(page, ids[kind]);
    const view = page.getByTestId('change-words');
    expect((await view.textContent())?.replace(/\s+/g, ' ')).toMatch(words);
    // The raw JSON is folded away, one click from the words.
    const after = page.getByTestId('json-after');
    expect(await after.isVisible()).toBe(false);
    await page.getByText('Raw JSON and the exact diff').click();
    expect(await after.isVisible()).toBe(true);
    if (kind === 'listSetting') {
      // By identity, not position: "email" stays, only "sms" goes.
      expect(await view.locator('li').allTextContents()).toEqual(['sms removed']);
    }
    if (kind === 'policy') {
      // A rule-by-rule summary, not a 12,800 px page: Approve is within the first two screens.
      await page.getByText('Raw JSON and the exact diff').click();
      const box = await page.getByRole('button', { name: 'Approve' }).boundingBox();
      const screen = page.viewportSize() ?? (await page.evaluate(() => ({ width: innerWidth, height: innerHeight })));
      expect(box!.y).toBeLessThan(2 * screen.height);
    }
    if (kind === 'medication') {
      // What a security admin's field rules do not return is said to be hidden, never invented.
      expect(await text(page, 'medication-drug')).toMatch(/not shown to you|Lisinopril/);
    }
    await page.getByText('Raw JSON and the exact diff').evaluate((el) => el.closest('details')!.removeAttribute('open'));
    await screenshot(page, `change-${shot}`);
    await page.close();
  });
});

describe('the actionable inbox', () => {
  it('a clinician sees the clinical proposals of their departments only, and no error', async () => {
    const page = await browser.newPage();
    await signInWithToken(page, await h.token({ sub: 'dr-grey', roles: ['clinician'], departments: ['cardiology'] }));
    const rows = page.getByTestId('inbox').locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    // The fixtures leave connector:ehr stopped in production: approving would write nothing (the write-back gate closes
    // approvals as it closes the write), and the row says why instead of offering it.
    expect(await rows.first().textContent()).toMatch(/MedicationRequest proposed for a patient.*connector is stopped in PRODUCTION/);
    expect(await page.getByRole('tab').allTextContents()).toEqual(['Needs my decision 1']);
    expect(await page.locator('[role=alert]').count()).toBe(0);
    await screenshot(page, 'inbox-clinician');
    await rows.first().getByRole('link').click();
    await page.getByTestId('change-detail').waitFor();
    expect(await text(page, 'medication-patient')).toBe('0ac13d55-d566-450a-aea0-f6a71f1ad73b');
    // The API lets a clinician who can act on the proposal reject it too (rejectChange asks canActOn): offered.
    expect(await page.getByRole('button', { name: 'Reject' }).count()).toBe(1);
    expect(await page.locator('[role=alert]').count()).toBe(0);
    // A clinical change takes no free text of its own: no comment box, the rejection reasons are a list.
    expect(await page.getByLabel('Comment (optional)').count()).toBe(0);
    await page.getByTestId('clinical-no-comment').waitFor();
    expect(await page.getByLabel('Reason for rejecting (required)').locator('option').allTextContents()).toEqual([
      'Choose a reason', 'not indicated', 'wrong drug', 'wrong dose', 'duplicate', 'contraindicated', 'patient declined', 'other',
    ]);
    // Approve is held while the gate is closed, saying why; Reject stays offered (viewerCanReject): a proposal the
    // clinician disagrees with can be turned down during a stop. Nothing is decided by looking.
    expect(await page.getByRole('button', { name: 'Approve' }).isDisabled()).toBe(true);
    expect(await text(page, 'cannot-approve')).toMatch(/connector is stopped in PRODUCTION/);
    const sec = await h.token({ roles: ['security-admin'], sub: 'check' });
    const after = await h.gql<{ changeRequest: { status: string; approvals: { sub: string }[] } }>(
      sec,
      'query($id: ID!) { changeRequest(id: $id) { status approvals { sub } } }',
      { id: ids.medication },
    );
    expect(after.body.data!.changeRequest).toEqual({ status: 'PENDING', approvals: [] });
    await screenshot(page, 'change-medication-gate-closed');
    // Another department's clinician has nothing to decide: an empty queue, said so.
    const onc = await browser.newPage();
    await signInWithToken(onc, await h.token({ sub: 'dr-onc', roles: ['clinician'], departments: ['oncology'] }));
    await onc.getByTestId('state-empty').waitFor();
    expect(await text(onc, 'state-empty')).toBe('Nothing needs your decision right now.');
    await page.close();
    await onc.close();
  });

  it('a security admin opens on "needs my decision", with counts and filters', async () => {
    const page = await browser.newPage();
    await signIn(page, origin, SAM);
    const rows = page.getByTestId('inbox').locator('tbody tr');
    await rows.first().waitFor();
    const actionable = await rows.count();
    expect(await page.getByTestId('tab-actionable').getAttribute('aria-selected')).toBe('true');
    for (const row of await rows.all()) expect(await row.textContent()).toContain('You can approve');
    const counts = Object.fromEntries(
      await Promise.all(
        ['actionable', 'mine', 'pending'].map(async (t) => [t, Number((await text(page, `tab-${t}`)).match(/(\d+)$/)![1])]),
      ),
    );
    expect(counts.actionable).toBe(actionable);
    expect(counts.pending).toBeGreaterThan(counts.actionable);
    expect(counts.mine).toBe(0);
    // The refund is finance's and the medication proposal a clinician's: pending, but not the security admin's decision.
    expect(await page.getByTestId('inbox').textContent()).not.toContain('Refund of');
    await page.getByTestId('tab-pending').click();
    // Its amount is financial: the row names the refund, not what it refunds.
    await page.getByTestId('inbox').getByText('Refund', { exact: true }).first().waitFor();
    expect(await page.getByTestId('inbox').textContent()).not.toContain('$500.00');
    await page.getByLabel('Category').selectOption('ACCESS');
    await expect.poll(async () => (await rows.allTextContents()).every((r) => r.includes('Access'))).toBe(true);
    await page.getByLabel('Risk').selectOption('CRITICAL');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Access policy');
    expect(await unlabeledControls(page)).toEqual([]);
    await page.getByLabel('Risk').selectOption('');
    await page.getByLabel('Category').selectOption('');
    await page.getByTestId('tab-actionable').click();
    await screenshot(page, 'inbox-actionable');
    await page.screenshot({ path: join(ARTIFACTS, 'inbox-actionable-top.png'), clip: { x: 0, y: 0, width: 1366, height: 620 } });
    await page.close();
  });
});

describe('proposing, withdrawing, deciding', () => {
  let changeUrl = '';

  it('after "Sent for approval" the setting is no longer a draft that can be proposed twice', async () => {
    const page = await browser.newPage();
    await signIn(page, origin, ANA);
    await page.goto(`${origin}/console/#/settings`);
    await page.getByLabel('Environment').selectOption('STAGING');
    await page.getByLabel('Filter').fill('integration.ehr.writeBackEnabled');
    const t = page.getByTestId('setting-integration.ehr.writeBackEnabled');
    await t.getByLabel('Enabled').check();
    await t.getByLabel(/Reason/).fill('Staging write-back trial');
    await t.getByRole('button', { name: 'Propose change' }).click();
    await t.getByTestId('setting-result').waitFor();
    expect(await text(page, 'setting-result')).toContain('Sent for approval');
    expect(await t.getByTestId('setting-status').textContent()).toBe('Sent for approval');
    expect(await t.getByRole('button', { name: 'Propose change' }).count()).toBe(0);
    expect(await t.getByLabel('Enabled').isDisabled()).toBe(true);
    const token = await h.token({ roles: ['security-admin'], sub: 'check' });
    const r = await h.gql<{ changeRequests: { key: string }[] }>(
      token,
      '{ changeRequests(status: PENDING, environment: STAGING) { key } }',
    );
    expect(r.body.data!.changeRequests.filter((c) => c.key === 'integration.ehr.writeBackEnabled')).toHaveLength(1);
    await screenshot(page, 'settings-sent');
    await t.getByTestId('setting-result').getByRole('link', { name: 'Open the change' }).click();
    await page.getByTestId('change-detail').waitFor();
    changeUrl = page.url();

    // Someone else on the same setting is told of the pending change and led to it.
    const ben = await browser.newPage();
    await signIn(ben, origin, BEN);
    await ben.goto(`${origin}/console/#/settings`);
    await ben.getByLabel('Environment').selectOption('STAGING');
    await ben.getByLabel('Filter').fill('integration.ehr.writeBackEnabled');
    const pending = ben.getByTestId('setting-integration.ehr.writeBackEnabled').getByTestId('setting-pending');
    expect(await pending.textContent()).toMatch(/already waiting for approval/);
    await pending.getByRole('link').click();
    await ben.getByTestId('change-detail').waitFor();
    expect(ben.url()).toBe(changeUrl);
    await ben.close();
    await page.close();
  });

  it('the requester withdraws; nobody is offered Reject who may not decide', async () => {
    const page = await browser.newPage();
    await signIn(page, origin, ANA);
    await page.goto(changeUrl);
    await page.getByTestId('change-detail').waitFor();
    expect(await page.getByRole('button', { name: 'Reject' }).count()).toBe(0);
    // An engineer may not decide a refund (finance's): no Reject for them either.
    await openChange(page, ids.refund);
    expect(await page.getByRole('button', { name: 'Approve' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Reject' }).count()).toBe(0);
    await openChange(page, changeUrl.split('/').pop()!);
    await page.getByRole('button', { name: 'Withdraw' }).click();
    await expect.poll(() => text(page, 'change-status')).toBe('Cancelled');
    expect(await text(page, 'approval-summary')).toBe('closed: withdrawn by the requester');
    expect(await text(page, 'cancellation')).toMatch(/Withdrawn by eng-ana/);
    expect(await page.getByRole('button', { name: /Withdraw|Approve|Reject/ }).count()).toBe(0);
    expect(await page.locator('[data-testid=decided-elsewhere]').count()).toBe(0);
    await screenshot(page, 'change-withdrawn');
    await page.close();
  });

  it('a decision by someone else arrives live while the change is open: a banner, and no stale buttons', async () => {
    const page = await browser.newPage();
    await signIn(page, origin, BEN);
    await openChange(page, ids.setting);
    expect(await page.getByRole('button', { name: 'Approve' }).isEnabled()).toBe(true);
    // The socket is open (the page says "Live"); the subscribe message follows on the same socket, ahead of any event.
    await page.locator('[data-live=connected]').waitFor({ timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 300));
    const APPROVE = 'mutation($id: ID!) { approveChange(id: $id) { status } }';
    const sec = await h.token({ roles: ['security-admin'], sub: 'sec-sol', mfa: true });
    expect((await h.gql(sec, APPROVE, { id: ids.setting })).body.errors).toBeUndefined();
    await page.getByTestId('decided-elsewhere').waitFor({ timeout: 10_000 });
    expect(await text(page, 'decided-elsewhere')).toContain('approved by sec-sol');
    await expect.poll(() => text(page, 'approval-summary')).toBe('needs 1 more from: technical (with MFA)');
    const eng = await h.token({ roles: ['integration-engineer'], sub: 'eng-eve', mfa: true });
    expect((await h.gql(eng, APPROVE, { id: ids.setting })).body.errors).toBeUndefined();
    await expect.poll(() => text(page, 'change-status'), { timeout: 10_000 }).toBe('Applied');
    expect(await page.getByRole('button', { name: /Approve|Reject/ }).count()).toBe(0);
    await screenshot(page, 'change-decided-elsewhere');
    await page.close();
  });
});

describe('honest states, each distinct', () => {
  it('loading, empty, unreachable, gateway error, not found, forbidden', async () => {
    const page = await browser.newPage();
    await signIn(page, origin, { role: 'auditor', sub: 'aud-ali', mfa: false });
    await page.getByTestId('state-empty').waitFor();
    expect(await text(page, 'state-empty')).toBe('Nothing needs your decision right now.');

    // Loading: the queue's answer is held back; the page says it is loading, not "0 pending".
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/graphql', async (route) => {
      if (route.request().postData()?.includes('ConsoleInbox')) await held;
      await route.continue();
    });
    await page.reload();
    await page.getByTestId('state-loading').waitFor();
    expect(await page.textContent('main')).not.toMatch(/0 pending|Nothing needs your decision/);
    release();
    await page.getByTestId('state-empty').waitFor();
    await page.unroute('**/graphql');

    // Unreachable: the gateway does not answer at all.
    await page.route('**/graphql', (route) => route.abort('connectionrefused'));
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByTestId('state-unreachable').waitFor();
    expect(await page.textContent('main')).not.toMatch(/0 pending|Nothing needs your decision/);
    await screenshot(page, 'state-unreachable');
    await page.unroute('**/graphql');

    // A 502 from a proxy is an error, never "Change not found".
    await page.route('**/graphql', (route) => route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' }));
    await openChangeAnyState(page, ids.setting);
    await page.getByTestId('state-gateway-error').waitFor();
    expect(await text(page, 'state-gateway-error')).toContain('HTTP 502');
    expect(await page.textContent('main')).not.toContain('not found');
    await page.unroute('**/graphql');

    await openChangeAnyState(page, '00000000-0000-4000-8000-000000000000');
    await page.getByTestId('state-not-found').waitFor();
    await page.close();

    // Forbidden: a clinician asks for a change that is not theirs to decide.
    const clin = await browser.newPage();
    await signInWithToken(clin, await h.token({ sub: 'dr-grey', roles: ['clinician'], departments: ['cardiology'] }));
    await openChangeAnyState(clin, ids.refund);
    await clin.getByTestId('state-forbidden').waitFor();
    expect(await text(clin, 'state-forbidden')).toMatch(/is locked.*Not allowed to read configuration/);
    await screenshot(clin, 'state-forbidden');
    await clin.close();
  });

  it('session expired: back to sign-in, and back to the page after signing in again', async () => {
    const page = await browser.newPage();
    await signIn(page, origin, SAM);
    await openChange(page, ids.policy);
    await page.evaluate(() => sessionStorage.setItem('clearance.console.token', 'expired.token.value'));
    await page.reload();
    await page.getByLabel('Role').waitFor();
    expect(await page.textContent('main')).toMatch(/token was not accepted|session expired/i);
    await signIn(page, origin, SAM);
    await expect.poll(() => page.url()).toContain(`#/change/${ids.policy}`);
    await page.getByTestId('change-detail').waitFor();
    await page.close();
  });
});

async function openChangeAnyState(page: Page, id: string): Promise<void> {
  await page.goto(`${origin}/console/#/change/${id}`);
}

describe('the phone layout', () => {
  it('at 390 px the inbox needs no horizontal scroll and "You can approve" is in view', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, origin, SAM);
    const can = page.getByTestId('inbox').getByText('You can approve').first();
    await can.waitFor();
    expect(await fitsWidth(page)).toBe(true);
    const box = await can.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(page.viewportSize()!.width);
    await screenshot(page, 'phone-inbox');
    await page.screenshot({ path: join(ARTIFACTS, 'phone-inbox-top.png') });
    await page.getByTestId('inbox').getByRole('link').first().click();
    await page.getByTestId('change-detail').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'phone-change');
    await page.close();
  });

  it('the console fetched nothing from another origin and logged no unexpected errors', () => {
    expect(browser.external).toEqual([]);
    // The states tests provoke a refused connection, a 502 and a 401 on purpose; nothing else may be logged.
    expect(browser.pageErrors.filter((e) => !/502|401|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e))).toEqual([]);
  });

});
