import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../src/governance/webhook-signature.js';
import { DENNIS } from '../connectors/ehr/helpers.js';
import { startHarness, type Harness } from '../support/harness.js';
import { assignRoleApplied, ok } from './governance-operations.js';
import { startMessagePeers, type MessagePeers } from '../support/message-peers.js';
import { RedisServer } from '../support/redis-server.js';

// The effect test of `access.approverContacts` (issue 14, email to approvers) and of the default escalation hook:
// two gateway replicas on one Redis, wired to a real SMTP peer (smtp-server) and a real HTTP receiver on loopback.
// Once the contacts apply, an approver who can act on a change is emailed when it is proposed (a link to the change
// in the console, nothing of its values), the requester is emailed the outcome, and each email is sent once however
// many replicas sweep the outbox. An on-call emergency left unclaimed is posted to `message.escalated` (signed like
// change events, no PHI) and emailed to the contacts marked for escalations.

const SECRET = 'whsec-email-test-7c1d2e9f';
const PUBLIC = 'https://clearance.acme.example';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

let redis: RedisServer;
let peers: MessagePeers;
let a: Harness;
let b: Harness;
let receiver: Server;
let base = '';
const received: Received[] = [];
let offsetMs = 0;

beforeAll(async () => {
  redis = await RedisServer.start();
  peers = await startMessagePeers();
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const shared = mkdtempSync(join(tmpdir(), 'clearance-email-'));
  const env = {
    REDIS_URL: redis.url,
    SMTP_URL: peers.smtpUrl,
    SMS_PROVIDER_URL: peers.smsUrl,
    GATEWAY_ENVIRONMENT: 'STAGING',
    PUBLIC_URL: PUBLIC,
  };
  // Replica A's clock can be moved (the escalation); B keeps the real one.
  a = await startHarness({ env, stateDir: shared, now: () => Date.now() + offsetMs, start: { reminderIntervalMs: 300 } });
  b = await startHarness({ env, stateDir: shared });
}, 60_000);
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await new Promise((r) => receiver?.close(r));
  await peers?.close();
  await redis?.stop();
});

const APPROVE = 'mutation ($id: ID!) { approveChange(id: $id) { status } }';
const UPDATE =
  'mutation ($k: String!, $e: Environment!, $v: JSON!, $r: String) { updateSetting(input: { key: $k, environment: $e, value: $v, reason: ' +
  '$r }) { status changeRequest { id } } }';
type Update = { updateSetting: { status: string; changeRequest: { id: string } } };
const until = async <T>(find: () => T | undefined, timeoutMs = 40_000): Promise<T> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = find();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out; mails ${JSON.stringify(peers.mails.map((m) => [m.to, m.subject]))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
const mailsTo = (address: string) => peers.mails.filter((m) => m.to.includes(address));

describe('access.approverContacts: approver notifications by email', () => {
  let changeId = '';

  it('set-up: contacts (a governed access setting: security proposes, security approves in PRODUCTION) and a known approver', async () => {
    const sec = (sub: string) => b.token({ sub, roles: ['security-admin'], mfa: true });
    const contacts = [
      { sub: 'dr-second', email: 'second@acme.example' },
      { sub: 'dr-first', email: 'first@acme.example' },
      { sub: 'lead-olu', email: 'lead@acme.example', escalations: true },
    ];
    // A clinical-admin may not set where approval email goes: security owns it.
    const other = await b.token({ sub: 'dr-x', roles: ['clinical-admin'], mfa: true });
    const refused = await b.gql(other, UPDATE, { k: 'access.approverContacts', e: 'PRODUCTION', v: contacts, r: 'directory' });
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const bad = await b.gql(await sec('sec-a'), UPDATE, {
      k: 'access.approverContacts',
      e: 'PRODUCTION',
      v: [{ sub: 'dr-second', email: 'not-an-address' }],
      r: 'directory',
    });
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const proposed = ok(
      await b.gql<Update>(await sec('sec-a'), UPDATE, {
        k: 'access.approverContacts',
        e: 'PRODUCTION',
        v: contacts,
        r: 'approver directory',
      }),
    );
    expect(proposed.updateSetting.status).toBe('PENDING_APPROVAL');
    expect(
      ok(await b.gql<{ approveChange: { status: string } }>(await sec('sec-b'), APPROVE, { id: proposed.updateSetting.changeRequest.id }))
        .approveChange.status,
    ).toBe('APPLIED');

    // A standing assignment makes dr-second known to the gateway as a clinical-admin (an access change: governed).
    await assignRoleApplied(b, 'dr-second', 'clinical-admin', 'dr-boss');
  });

  it('an approver who can act on a change gets an email when it is proposed: a console link, none of its values', async () => {
    const requester = await a.token({ sub: 'dr-first', roles: ['clinical-admin'] });
    const r = ok(
      await a.gql<Update>(requester, UPDATE, {
        k: 'ai.agentAutonomy',
        e: 'STAGING',
        v: { level: 'act-with-approval', allowedActions: ['create-task'] },
        r: 'pilot for Mrs Example',
      }),
    );
    expect(r.updateSetting.status).toBe('PENDING_APPROVAL');
    changeId = r.updateSetting.changeRequest.id;
    const mail = await until(() => mailsTo('second@acme.example').find((m) => m.text.includes(changeId)));
    expect(mail.subject).toBe('[Clearance] Approval needed: setting ai.agentAutonomy (STAGING, HIGH)');
    expect(mail.text).toContain(`${PUBLIC}/console/#/change/${changeId}`);
    expect(mail.text).toContain('Requested by: dr-first');
    expect(mail.text).toContain('Approvals: 0 of 1');
    // Neither the value nor the free-text reason (which can name a patient) leaves in an email.
    expect(mail.text).not.toContain('create-task');
    expect(mail.text).not.toContain('Mrs Example');
    // The requester cannot approve their own change: they are not asked to.
    expect(mailsTo('first@acme.example').filter((m) => m.text.includes(changeId))).toEqual([]);
  });

  it('the approver is reminded by email once, a day before the change expires', async () => {
    const sec = await b.token({ sub: 'sec-read', roles: ['security-admin'] });
    const { changeRequest } = ok(
      await b.gql<{ changeRequest: { expiresAt: string } }>(sec, 'query ($id: ID!) { changeRequest(id: $id) { expiresAt } }', {
        id: changeId,
      }),
    );
    offsetMs = Date.parse(changeRequest.expiresAt) - 60 * 60_000 - Date.now();
    const mail = await until(() =>
      mailsTo('second@acme.example').find((m) => m.subject.startsWith('[Clearance] Reminder') && m.text.includes(changeId)),
    );
    expect(mail.subject).toBe('[Clearance] Reminder: approval still needed: setting ai.agentAutonomy (STAGING, HIGH)');
    expect(mail.text).toContain(`expires at ${changeRequest.expiresAt}`);
    await new Promise((r) => setTimeout(r, 1_500));
    offsetMs = 0;
    expect(mailsTo('second@acme.example').filter((m) => m.subject.startsWith('[Clearance] Reminder'))).toHaveLength(1);
  });

  it('the requester is emailed the outcome once the change is decided', async () => {
    const approver = await b.token({ sub: 'dr-second', roles: ['clinical-admin'] });
    expect(ok(await b.gql<{ approveChange: { status: string } }>(approver, APPROVE, { id: changeId })).approveChange.status).toBe(
      'APPLIED',
    );
    const mail = await until(() => mailsTo('first@acme.example').find((m) => m.text.includes(changeId)));
    expect(mail.subject).toBe('[Clearance] Your change was applied: setting ai.agentAutonomy (STAGING, HIGH)');
    expect(mail.text).toContain('Approvals: 1 of 1');
    expect(mail.text).not.toContain('create-task');
    // The delivery log a security admin reads names the recipient's subject, never the address.
    const sec = await a.token({ sub: 'sec-log', roles: ['security-admin'] });
    type Log = { auditEvents: { edges: { node: { changeId: string; detail: Record<string, unknown> } }[] } };
    const log = ok(
      await a.gql<Log>(
        sec,
        'query { auditEvents(filter: { action: "notification.delivered" }, first: 50) { edges { node { changeId detail } } } }',
      ),
    );
    const emailed = log.auditEvents.edges.map((e) => e.node).filter((n) => n.changeId === changeId && n.detail.channel === 'email');
    expect(emailed.map((n) => [n.detail.event, n.detail.recipient]).sort()).toEqual([
      ['change.applied', 'dr-first'],
      ['change.proposed', 'dr-second'],
      ['change.reminder', 'dr-second'],
    ]);
    expect(JSON.stringify(log)).not.toContain('@acme.example');
  });

  it('two replicas on one Redis send each email once', async () => {
    // Both replicas sweep the outbox every 5 s; give them several sweeps to send anything twice.
    await new Promise((r) => setTimeout(r, 11_000));
    const about = peers.mails.filter((m) => m.text.includes(changeId));
    expect(about.map((m) => m.to.join()).sort()).toEqual(['first@acme.example', 'second@acme.example', 'second@acme.example']);
    expect(new Set(peers.mails.map((m) => m.messageId)).size).toBe(peers.mails.length);
  }, 20_000);
});

describe('the default escalation hook: message.escalated webhook and email', () => {
  it('an unclaimed on-call emergency is posted signed to its route and emailed to the escalation contacts, with no PHI', async () => {
    const admin = await a.token({ sub: 'sys-ada', roles: ['system-admin'] });
    ok(
      await a.gql(
        admin,
        `mutation { rotateConnectorSecret(connectorId: "webhooks", environment: STAGING, clientId: "clearance", clientSecret: ` +
        `"${SECRET}", reason: "escalation hook") { configured } }`,
      ),
    );
    const eng = await a.token({ sub: 'eng-hooks', roles: ['integration-engineer'] });
    const routes = [{ event: 'message.escalated', url: `${base}/hooks/escalations` }];
    expect(
      ok(await a.gql<Update>(eng, UPDATE, { k: 'integration.webhookRoutes', e: 'STAGING', v: routes, r: 'escalation hook' })).updateSetting
        .status,
    ).toBe('APPLIED');

    const nurse = await a.token({ sub: 'rn-rosa', roles: ['nurse'], departments: ['cardiology'] });
    const routed = ok(
      await a.gql<{ routeInboundMessage: { queue: string; communicationId: string } }>(
        nurse,
        'mutation ($p: ID!, $t: String!) { routeInboundMessage(patientId: $p, text: $t) { queue communicationId } }',
        { p: DENNIS, t: 'my husband collapsed and is not breathing' },
      ),
    );
    expect(routed.routeInboundMessage.queue).toBe('on-call');
    const id = routed.routeInboundMessage.communicationId;
    offsetMs += 11 * 60_000; // past the on-call SLA of 10 minutes, on replica A's clock
    const escalated = (await a.running.escalations.sweep()).filter((e) => e.communicationId === id);
    expect(escalated.map((e) => e.level)).toEqual([1]);

    const hook = await until(() => received.find((x) => x.headers['clearance-event'] === 'message.escalated' && x.body.includes(id)));
    const signature = String(hook.headers['clearance-signature']);
    expect(verifyWebhookSignature(SECRET, signature, hook.body, Number(/t=(\d+)/.exec(signature)![1])).ok).toBe(true);
    const payload = JSON.parse(hook.body) as Record<string, unknown>;
    expect(payload).toMatchObject({
      event: 'message.escalated',
      tenant: 'acme',
      message: { queue: 'on-call', itemId: id, level: 1, waitedMinutes: 11 },
    });
    expect(hook.headers['clearance-delivery']).toBe(payload.deliveryId);
    // Queue, item and age only: no patient, no text.
    expect(hook.body).not.toContain(DENNIS);
    expect(hook.body).not.toContain('collapsed');

    const mail = await until(() => mailsTo('lead@acme.example').find((m) => m.text.includes(id)));
    expect(mail.subject).toBe('[Clearance] Unclaimed emergency message in on-call (escalation 1)');
    expect(mail.text).not.toContain('collapsed');
    expect(mail.text).not.toContain(DENNIS);
    // Contacts not marked for escalations are not paged.
    expect(mailsTo('second@acme.example').filter((m) => m.text.includes(id))).toEqual([]);
  });
});
