import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { startMessagePeers, type MessagePeers } from '../support/message-peers.js';
import { EMERGENCY_STOP, UPDATE_SETTING, ok, refused, type ChangeResult } from './governance-operations.js';

// runBillingAutomation over HTTP (STAGING), with a real SMTP server on loopback: the dry run lists what the current
// governed rules produce for which accounts and sends nothing; a rule change shows on the next run; a real run sends
// the reminders through messaging (in the patient's language) and queues the escalations, once per step; a stopped
// automation:billing does nothing and says so.

const RUN = `mutation($d: Boolean!) { runBillingAutomation(dryRun: $d) { dryRun stopped environment actions {
  kind patientId accountId invoiceId amount currency daysOpen rule reminderDay queue failedPaymentAttempts outcome detail } } }`;
type Action = {
  kind: string;
  patientId: string;
  accountId: string;
  invoiceId: string;
  amount: number;
  rule: string;
  reminderDay: number | null;
  queue: string | null;
  failedPaymentAttempts: number | null;
  outcome: string;
  detail: string | null;
};
type Run = { dryRun: boolean; stopped: boolean; environment: string; actions: Action[] };

const GLORIA = '7aa15a43-3a41-4d3d-a9c5-7ef941757531';
let h: Harness;
let peers: MessagePeers;
let bill: string;

beforeAll(async () => {
  peers = await startMessagePeers();
  h = await startHarness({ env: { GATEWAY_ENVIRONMENT: 'STAGING', SMTP_URL: peers.smtpUrl, SMS_PROVIDER_URL: peers.smsUrl } });
  bill = await h.token({ sub: 'bill-lee', roles: ['billing-manager'] });
}, 60_000);
afterAll(async () => {
  await h.stop();
  await peers.close();
});

const run = async (dryRun: boolean) => ok<{ runBillingAutomation: Run }>(await h.gql(bill, RUN, { d: dryRun })).runBillingAutomation;
const of = (r: Run, kind: string) => r.actions.filter((a) => a.kind === kind);
const communications = async () =>
  (await h.running.fhir!.repository('acme').searchResources({ resourceType: 'Communication', filters: [], count: 1000 })).length;

describe('runBillingAutomation', () => {
  it('lists, in a dry run, the reminders and escalations of the default rules, and sends nothing', async () => {
    const r = await run(true);
    expect(r).toMatchObject({ dryRun: true, stopped: false, environment: 'STAGING' });
    // Eight open invoices (one per acme patient), all older than the last cadence step (30 days).
    expect(of(r, 'REMINDER')).toHaveLength(8);
    expect(
      of(r, 'REMINDER').every((a) => a.rule === 'billing.reminderCadenceDays[2]' && a.reminderDay === 30 && a.outcome === 'PLANNED'),
    ).toBe(true);
    // Escalation after 3 failed attempts: the two invoices with 3 and 4.
    expect(of(r, 'ESCALATION').map((a) => [a.failedPaymentAttempts, a.queue]).sort()).toEqual([[3, 'billing'], [4, 'billing']]);
    expect(r.actions.every((a) => a.accountId === `account-${a.patientId}`)).toBe(true);
    expect(peers.mails).toHaveLength(0);
    expect(await communications()).toBe(0);
  });

  it('follows a governed rule change on the next run', async () => {
    for (const [key, value] of [
      ['billing.reminderCadenceDays', [7, 14]],
      ['billing.failedPaymentEscalation', { afterAttempts: 1, escalateTo: 'billing', pauseAutoCollection: true }],
    ] as const) {
      expect(
        ok<{ updateSetting: ChangeResult }>(
          await h.gql(bill, UPDATE_SETTING, { input: { key, environment: 'STAGING', value, reason: 'collections review' } }),
        ).updateSetting.status,
      ).toBe('APPLIED');
    }
    const r = await run(true);
    expect(of(r, 'REMINDER').every((a) => a.rule === 'billing.reminderCadenceDays[1]' && a.reminderDay === 14)).toBe(true);
    expect(of(r, 'ESCALATION')).toHaveLength(6);
  });

  it('sends the reminders through messaging and queues the escalations, once per step', async () => {
    const r = await run(false);
    expect(of(r, 'REMINDER').map((a) => a.outcome)).toEqual(Array(8).fill('SENT'));
    expect(of(r, 'ESCALATION').map((a) => a.outcome)).toEqual(Array(6).fill('QUEUED'));
    expect(peers.mails).toHaveLength(8);
    const gloria = of(r, 'REMINDER').find((a) => a.patientId === GLORIA)!;
    expect(peers.mails.find((m) => m.to[0] === 'gloria.covarrubias@patients.example')).toMatchObject({
      subject: 'Recordatorio de pago',
      text: `Su factura del 2020-10-17 tiene ${gloria.amount.toFixed(2)} USD pendiente. Responda a este mensaje con cualquier pregunta.`,
    });
    const queues = ok<{ messageQueues: { queue: string; count: number }[] }>(
      await h.gql(await h.token({ sub: 'ops', roles: ['ops-manager'] }), '{ messageQueues { queue count } }'),
    ).messageQueues;
    expect(queues.find((q) => q.queue === 'billing')?.count).toBe(6);

    const again = await run(false);
    expect(again.actions.every((a) => a.outcome === 'ALREADY_DONE')).toBe(true);
    expect(peers.mails).toHaveLength(8);
  });

  it('does nothing while automation:billing is stopped, and says so', async () => {
    ok(await h.gql(bill, EMERGENCY_STOP, { target: 'automation:billing', environment: 'STAGING', reason: 'Reminder storm' }));
    const before = await communications();
    const e = refused(await h.gql(bill, RUN, { d: false }), 'CONFLICT', 'STOPPED');
    expect(e.message).toMatch(/stopped in STAGING: nothing was sent or queued/);
    expect((await run(true)).stopped).toBe(true);
    expect(await communications()).toBe(before);
    expect(peers.mails).toHaveLength(8);
  });

  it('is for billing roles only', async () => {
    const clin = await h.token({ sub: 'dr-grey', roles: ['clinician'], departments: ['cardiology'] });
    expect(refused(await h.gql(clin, RUN, { d: true }), 'FORBIDDEN').extensions).toMatchObject({ dataClass: 'financial' });
  });
});
