import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../src/governance/webhook-signature.js';
import { startHarness, type Harness } from '../support/harness.js';
import { assignRoleApplied, ok } from './governance-operations.js';
import { RedisServer } from '../support/redis-server.js';

// The effect test of `integration.webhookRoutes` (issue 14): applying the setting makes governed changes reach a
// real HTTP receiver on loopback, signed (HMAC-SHA256 over timestamp and body) with the secret stored write-only in
// the connector secret store; a 500 is retried from the outbox with the same delivery id; each attempt is in the
// delivery log a security admin reads; two gateway replicas on one Redis deliver each notification once; the
// approvers named are the people (known by stored role assignments) who can give the next counted approval; no
// payload carries the change's values.

const SECRET = 'whsec-test-3f9a1c77e2b04d58';

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly status: number;
}

let redis: RedisServer;
let a: Harness;
let b: Harness;
let receiver: Server;
let base = '';
const received: Received[] = [];
/** Events to answer 500 once (from the first change they are about on: see `failFor`). */
let failFor: string | null = null;
let offsetMs = 0;

beforeAll(async () => {
  redis = await RedisServer.start();
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const event = String(req.headers['clearance-event']);
      const fail = event === 'change.applied' && failFor !== null && body.includes(failFor);
      if (fail) failFor = null;
      const status = fail ? 500 : 204;
      received.push({ path: req.url ?? '', headers: req.headers, body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const shared = mkdtempSync(join(tmpdir(), 'clearance-hooks-'));
  const env = { REDIS_URL: redis.url };
  // Replica A's clock can be moved (the expiry reminder); B keeps the real one.
  a = await startHarness({ env, stateDir: shared, now: () => Date.now() + offsetMs, start: { reminderIntervalMs: 300 } });
  b = await startHarness({ env, stateDir: shared });
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await new Promise((r) => receiver?.close(r));
  await redis?.stop();
});

const APPROVE = 'mutation ($id: ID!) { approveChange(id: $id) { status } }';
const until = async <T>(find: () => T | undefined, timeoutMs = 40_000): Promise<T> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = find();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out; received ${JSON.stringify(received.map((r) => [r.path, r.status]))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
const payload = (r: Received) =>
  JSON.parse(r.body) as { deliveryId: string; event: string; change: Record<string, unknown>; approvers: string[]; requester: string };

describe('integration.webhookRoutes: signed approver notifications', () => {
  let changeId = '';

  it('set-up: the signing secret (write-only, connector secret store) and the routes (a governed setting)', async () => {
    const admin = await a.token({ sub: 'sys-ada', roles: ['system-admin'] });
    const secret = ok(
      await a.gql<{ rotateConnectorSecret: Record<string, unknown> }>(
        admin,
        `mutation { rotateConnectorSecret(connectorId: "webhooks", environment: STAGING, clientId: "clearance", clientSecret: ` +
        `"${SECRET}", reason: "approval hooks") { configured version } }`,
      ),
    );
    expect(secret.rotateConnectorSecret).toEqual({ configured: true, version: 1 });
    const eng = await a.token({ sub: 'eng-hooks', roles: ['integration-engineer'] });
    const routes = [
      { event: 'change.proposed', url: `${base}/hooks/approvals?token=receiver-own-token` },
      { event: 'change.applied', url: `${base}/hooks/outcomes` },
      { event: 'change.reminder', url: `${base}/hooks/reminders` },
    ];
    const set = ok(
      await a.gql<{ updateSetting: { status: string } }>(
        eng,
        'mutation ($v: JSON!) { updateSetting(input: { key: "integration.webhookRoutes", environment: STAGING, value: $v, reason: ' +
        '"approval hooks" }) { status } }',
        { v: routes },
      ),
    );
    expect(set.updateSetting.status).toBe('APPLIED');

    // A standing assignment makes dr-second known to the gateway as a clinical-admin (an access change: governed).
    await assignRoleApplied(b, 'dr-second', 'clinical-admin', 'dr-boss');
  });

  it('a proposal reaches its route signed, naming who can approve it and nothing of its values', async () => {
    const requester = await a.token({ sub: 'dr-first', roles: ['clinical-admin'] });
    const r = ok(
      await a.gql<{ updateSetting: { status: string; changeRequest: { id: string } } }>(
        requester,
        'mutation ($v: JSON!) { updateSetting(input: { key: "ai.agentAutonomy", environment: STAGING, value: $v, reason: "pilot" }) { ' +
        'status changeRequest { id } } }',
        { v: { level: 'act-with-approval', allowedActions: ['create-task'] } },
      ),
    );
    expect(r.updateSetting.status).toBe('PENDING_APPROVAL');
    changeId = r.updateSetting.changeRequest.id;
    const got = await until(() =>
      received.find((x) => x.headers['clearance-event'] === 'change.proposed' && payload(x).change.id === changeId),
    );
    expect(got.path).toBe('/hooks/approvals?token=receiver-own-token');
    const check = verifyWebhookSignature(SECRET, String(got.headers['clearance-signature']), got.body, Math.floor(Date.now() / 1000));
    expect(check.ok).toBe(true);
    const p = payload(got);
    expect(got.headers['clearance-delivery']).toBe(p.deliveryId);
    expect(p).toMatchObject({
      event: 'change.proposed',
      requester: 'dr-first',
      change: { id: changeId, status: 'PENDING', key: 'ai.agentAutonomy', environment: 'STAGING' },
    });
    expect(p.approvers).toContain('dr-second');
    expect(p.approvers).not.toContain('dr-first');
    // Ids, names and statuses only: the change's before, after and diff never leave in a payload.
    expect(Object.keys(p.change).sort()).toEqual([
      'approvals',
      'category',
      'environment',
      'expiresAt',
      'id',
      'key',
      'requiredApprovals',
      'risk',
      'status',
      'targetType',
    ]);
    expect(got.body).not.toContain('create-task');
  });

  it('a forged, altered or replayed delivery is detectable by the receiver', async () => {
    const got = received.find((x) => x.headers['clearance-event'] === 'change.proposed')!;
    const header = String(got.headers['clearance-signature']);
    const t = Number(/t=(\d+)/.exec(header)![1]);
    expect(verifyWebhookSignature('another-secret', header, got.body, t).ok).toBe(false);
    expect(verifyWebhookSignature(SECRET, header, got.body.replace('PENDING', 'APPLIED'), t)).toEqual({
      ok: false,
      reason: 'BAD_SIGNATURE',
    });
    // Replayed an hour later: the signed timestamp is too old (and the delivery id was already seen).
    expect(verifyWebhookSignature(SECRET, header, got.body, t + 3600)).toEqual({ ok: false, reason: 'TOO_OLD' });
    expect(verifyWebhookSignature(SECRET, 'v1=abc', got.body, t)).toEqual({ ok: false, reason: 'MALFORMED' });
  });

  it('a reminder goes out once, a day before the change expires, naming who can still approve it', async () => {
    await new Promise((r) => setTimeout(r, 1_000));
    expect(received.filter((x) => x.path === '/hooks/reminders')).toEqual([]);
    const sec = await b.token({ sub: 'sec-read', roles: ['security-admin'] });
    const { changeRequest } = ok(
      await b.gql<{ changeRequest: { expiresAt: string } }>(sec, 'query ($id: ID!) { changeRequest(id: $id) { expiresAt } }', {
        id: changeId,
      }),
    );
    offsetMs = Date.parse(changeRequest.expiresAt) - 60 * 60_000 - Date.now();
    const got = await until(() => received.find((x) => x.path === '/hooks/reminders'));
    // Either replica may deliver it (each signs with its own clock): the signature is checked at its own time.
    const signature = String(got.headers['clearance-signature']);
    expect(verifyWebhookSignature(SECRET, signature, got.body, Number(/t=(\d+)/.exec(signature)![1])).ok).toBe(true);
    expect(payload(got)).toMatchObject({ event: 'change.reminder', change: { id: changeId, status: 'PENDING' }, approvers: ['dr-second'] });
    await new Promise((r) => setTimeout(r, 1_500));
    offsetMs = 0;
    expect(received.filter((x) => x.path === '/hooks/reminders')).toHaveLength(1);
  });

  it('the outcome reaches its route: a 500 is retried with the same delivery id, and the attempts are in the delivery log', async () => {
    failFor = changeId;
    const approver = await b.token({ sub: 'dr-second', roles: ['clinical-admin'] });
    expect(ok(await b.gql<{ approveChange: { status: string } }>(approver, APPROVE, { id: changeId })).approveChange.status).toBe(
      'APPLIED',
    );
    const about = (x: Received) => x.headers['clearance-event'] === 'change.applied' && payload(x).change.id === changeId;
    const delivered = await until(() => received.find((x) => about(x) && x.status === 204));
    const attempts = received.filter(about);
    expect(attempts.map((x) => x.status)).toEqual([500, 204]);
    expect(new Set(attempts.map((x) => x.headers['clearance-delivery'])).size).toBe(1);
    expect(payload(delivered)).toMatchObject({
      event: 'change.applied',
      requester: 'dr-first',
      approvers: [],
      change: { id: changeId, status: 'APPLIED' },
    });

    const sec = await a.token({ sub: 'sec-log', roles: ['security-admin'] });
    const LOG =
      'query ($a: String) { auditEvents(filter: { action: $a }, first: 50) { edges { node { action changeId status detail } } } }';
    type Log = {
      auditEvents: { edges: { node: { action: string; changeId: string; status: string; detail: Record<string, unknown> } }[] };
    };
    const retries = ok(await a.gql<Log>(sec, LOG, { a: 'notification.retry' })).auditEvents.edges.map((e) => e.node);
    expect(retries).toContainEqual(
      expect.objectContaining({
        changeId,
        status: 'RETRYING',
        detail: expect.objectContaining({ event: 'change.applied', httpStatus: 500, origin: base }),
      }),
    );
    const done = ok(await a.gql<Log>(sec, LOG, { a: 'notification.delivered' })).auditEvents.edges.map((e) => e.node);
    expect(
      done
        .filter((e) => e.changeId === changeId)
        .map((e) => e.detail.event)
        .sort(),
    ).toEqual(['change.applied', 'change.proposed', 'change.reminder']);
    // The log names the receiver's origin only: never the route's query (which here carries the receiver's token).
    expect(JSON.stringify(done)).not.toContain('receiver-own-token');
    // A caller without audit read does not see the log.
    const nurse = await a.token({ sub: 'rn-1', roles: ['nurse'], departments: ['cardiology'] });
    expect((await a.gql(nurse, LOG, { a: 'notification.delivered' })).body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('two replicas on one Redis: every notification was accepted exactly once', async () => {
    // Both replicas sweep the outbox; give them several sweeps to deliver anything twice.
    await new Promise((r) => setTimeout(r, 11_000));
    const accepted = received.filter((x) => x.status === 204).map((x) => String(x.headers['clearance-delivery']));
    expect(accepted.length).toBeGreaterThanOrEqual(2);
    expect(new Set(accepted).size).toBe(accepted.length);
  });
});
