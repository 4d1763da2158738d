import type { Communication } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DENNIS } from '../connectors/ehr/helpers.js';
import type { Harness } from '../support/harness.js';
import type { MessagePeers } from '../support/message-peers.js';
import { startMessagingHarness, type MessagingHarness } from '../support/messaging-harness.js';
import { ok, refused } from './governance-operations.js';

// sendPatientMessage's idempotencyKey over HTTP, against a real SMTP server on loopback and the embedded FHIR server:
// a retry with the same key is answered without a second email or Communication, a key reused for another request
// or raced is CONFLICT with nothing sent, keys are per caller, and without a key every call sends.

const SEND = `mutation($p: ID!, $t: String!, $c: MessageChannel, $v: JSON, $k: String) {
  sendPatientMessage(patientId: $p, templateId: $t, channel: $c, variables: $v, idempotencyKey: $k) { status channel templateId locale ` +
    `communicationId failure } }`;
const EVENTS = `query($filter: AuditEventFilter) { auditEvents(filter: $filter, first: 50) { edges { node { action status target actor { ` +
  `sub } } } } }`;

type Sent = { status: string; channel: string; templateId: string; locale: string; communicationId: string; failure: string | null };
type Event = { action: string; status: string | null; target: string | null; actor: { sub: string } | null };

let messaging: MessagingHarness;
let h: Harness;
let peers: MessagePeers;
let desk: string;
let nurse: string;
let auditor: string;

const TEMPLATES = {
  'lab-results-ready': {
    locale: 'en',
    channel: 'email',
    subject: 'Your results, {{name}}',
    body: 'Hello {{name}}, your {{test}} results are ready in the portal.',
  },
};

beforeAll(async () => {
  messaging = await startMessagingHarness(TEMPLATES);
  ({ h, peers } = messaging);
  desk = await h.token({ sub: 'desk-dee', roles: ['front-desk'] });
  nurse = await h.token({ sub: 'desk-dan', roles: ['front-desk'] });
  auditor = await h.token({ sub: 'aud-amy', roles: ['auditor'] });
}, 60_000);
afterAll(() => messaging.stop());

const repo = () => h.running.fhir!.repository('acme');
const communications = async () =>
  (await repo().searchResources<Communication>({ resourceType: 'Communication', filters: [], count: 1000 })).length;
const send = (token: string, vars: Record<string, unknown>) =>
  h.gql<{ sendPatientMessage: Sent }>(token, SEND, { p: DENNIS, t: 'lab-results-ready', ...vars });
const events = async (communicationId: string) =>
  ok(await h.gql<{ auditEvents: { edges: { node: Event }[] } }>(auditor, EVENTS, { filter: { category: 'messaging' } })).auditEvents.edges
    .map((e) => e.node)
    .filter((n) => n.target === `ehr:Communication/${communicationId}`);

describe('sendPatientMessage idempotencyKey', () => {
  it('answers a retry with the same key and request identically, without a second email, Communication or "sent" event', async () => {
    const [mails, records] = [peers.mails.length, await communications()];
    const vars = { k: 'retry-1', v: { name: 'Dennis', test: 'lipid panel' } };
    const first = ok(await send(desk, vars)).sendPatientMessage;
    expect(first).toMatchObject({ status: 'SENT', channel: 'EMAIL', failure: null });
    // Same variables in another key order: the same request.
    const again = await send(desk, { ...vars, v: { test: 'lipid panel', name: 'Dennis' } });
    expect(again.body).toEqual({ data: { sendPatientMessage: first } });
    expect(peers.mails.length).toBe(mails + 1);
    expect(await communications()).toBe(records + 1);
    const audit = await events(first.communicationId);
    expect(audit.map((e) => e.action).sort()).toEqual(['messaging.replayed', 'messaging.sent']);
    expect(audit.find((e) => e.action === 'messaging.replayed')).toMatchObject({ status: 'REPLAYED', actor: { sub: 'desk-dee' } });
  });

  it('refuses the same key for a different request with CONFLICT IDEMPOTENCY_KEY_REUSED and sends nothing', async () => {
    ok(await send(desk, { k: 'reuse-1', v: { name: 'Dennis', test: 'CBC' } }));
    const [mails, records] = [peers.mails.length, await communications()];
    const e = refused(await send(desk, { k: 'reuse-1', v: { name: 'Dennis', test: 'A1C' } }), 'CONFLICT', 'IDEMPOTENCY_KEY_REUSED');
    expect(e.message).toMatch(/nothing was sent/);
    refused(await send(desk, { k: 'reuse-1', c: 'SMS', v: { name: 'Dennis', test: 'CBC' } }), 'CONFLICT', 'IDEMPOTENCY_KEY_REUSED');
    expect(peers.mails.length).toBe(mails);
    expect(await communications()).toBe(records);
  });

  it('sends exactly once for concurrent requests with the same key; the others are answered or told it is in flight', async () => {
    const [mails, records] = [peers.mails.length, await communications()];
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => send(desk, { k: 'race-1', v: { name: 'Dennis', test: 'TSH' } })));
    expect(peers.mails.length).toBe(mails + 1);
    expect(await communications()).toBe(records + 1);
    const sent = answers.filter((a) => a.body.data?.sendPatientMessage);
    const inFlight = answers.filter((a) => a.body.errors?.[0]?.extensions?.reason === 'IDEMPOTENCY_KEY_IN_FLIGHT');
    expect(sent.length + inFlight.length).toBe(5);
    expect(new Set(sent.map((a) => a.body.data!.sendPatientMessage.communicationId)).size).toBe(1);
    for (const a of inFlight) expect(a.body.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', retryable: true });
  });

  it('keeps keys per caller: another caller\'s same key sends its own message and sees nothing of the first', async () => {
    const mails = peers.mails.length;
    const mine = ok(await send(desk, { k: 'shared-1', v: { name: 'Dennis', test: 'CBC' } })).sendPatientMessage;
    // Different variables under the same key: not a conflict for another caller.
    const theirs = ok(await send(nurse, { k: 'shared-1', v: { name: 'Dennis', test: 'A1C' } })).sendPatientMessage;
    expect(theirs.communicationId).not.toBe(mine.communicationId);
    expect(peers.mails.length).toBe(mails + 2);
    expect(peers.mails.at(-1)!.text).toContain('A1C');
  });

  it('frees the key when the first request failed before sending, so the retry runs (and fails alike, not in flight)', async () => {
    const mails = peers.mails.length;
    refused(await send(desk, { k: 'early-1', v: { name: 'Dennis' } }), 'BAD_USER_INPUT');
    refused(await send(desk, { k: 'early-1', v: { name: 'Dennis' } }), 'BAD_USER_INPUT');
    expect(peers.mails.length).toBe(mails);
  });

  it('without a key every call sends, as before', async () => {
    const mails = peers.mails.length;
    const a = ok(await send(desk, { v: { name: 'Dennis', test: 'CBC' } })).sendPatientMessage;
    const b = ok(await send(desk, { v: { name: 'Dennis', test: 'CBC' } })).sendPatientMessage;
    expect(a.communicationId).not.toBe(b.communicationId);
    expect(peers.mails.length).toBe(mails + 2);
  });

  it('validates the key: 1 to 200 characters of A-Z a-z 0-9 . _ : -, else BAD_USER_INPUT naming idempotencyKey', async () => {
    const mails = peers.mails.length;
    for (const k of ['', 'a'.repeat(201), 'has space', 'slash/no', 'ünïcode']) {
      expect(refused(await send(desk, { k, v: { name: 'Dennis', test: 'CBC' } }), 'BAD_USER_INPUT').extensions).toMatchObject({
        field: 'idempotencyKey',
      });
    }
    expect(peers.mails.length).toBe(mails);
    ok(await send(desk, { k: `${'a'.repeat(195)}.:_-9`, v: { name: 'Dennis', test: 'CBC' } }));
    expect(peers.mails.length).toBe(mails + 1);
  });
});
