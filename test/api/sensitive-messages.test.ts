import type { Communication } from '@medplum/fhirtypes';
import { getNamedType, isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../../connectors/messaging/inbox.js';
import { buildUnguardedSchema } from '../../src/server/build-schema.js';
import type { EscalationEvent } from '../../src/services/messaging/message-queue-service.js';
import { DENNIS } from '../connectors/ehr/helpers.js';
import type { Harness } from '../support/harness.js';
import { startMessagingHarness, type MessagingHarness } from '../support/messaging-harness.js';
import { ok } from './governance-operations.js';

// A patient message whose text is sensitive (HIV, substance use, mental health: the same sensitivityOfText that
// withholds a note) never waits at the front desk or billing, is labelled sensitive, and its text goes only to who
// the policy lets read sensitive data of the patient (a clinician of the patient's department with the sensitive
// grant), on every path that answers a message's text; that read is audited under `sensitive`. Everyone else gets
// FORBIDDEN on `text` and nothing of it anywhere in the answer. Except an emergency: who answers on-call (may read its
// clinical class) reads its words, grant or not, and that read is audited under `sensitive` too.

const ROUTE = `mutation($p: ID!, $t: String!) { routeInboundMessage(patientId: $p, text: $t) { queue rule communicationId } }`;
const LIST = `query($q: String!) { messageQueue(queue: $q, first: 100) { id queue text concept closeReason } }`;
const CLAIM = `mutation($id: ID!) { claimMessage(id: $id) { id text } }`;
const CLOSE = `mutation($id: ID!) { closeMessage(id: $id, reason: "Handled by phone") { id text } }`;
const REPLY = `mutation($id: ID!) { replyToMessage(id: $id, text: "We called you.") { status } }`;

/** The patient's words, and a word of each that must not leak on its own. */
const SENSITIVE = [
  ['Please change my appointment, also I relapsed on heroin last week', 'heroin'],
  ['I ran out of my HIV medication Biktarvy', 'Biktarvy'],
  ['Question about my bill for the Truvada PrEP visit', 'Truvada'],
  ['Can I get the letter for my AA meetings, dx F10.20', 'F10.20'],
  // A detox without a named substance, psychiatric care and a psychiatric medicine, PrEP in capitals (the tester's).
  ['Can you resend the invoice for my detox stay', 'detox'],
  ['Question about the bill for my psych ward stay and my Zoloft', 'Zoloft'],
  ['Is my PREP REFILL on this invoice?', 'PREP REFILL'],
  // The second tester's: "on prep" in a sentence, withdrawal from a substance, a mental hospital, Spanish, a broken name.
  ["I'M ON PREP and need labs done", 'ON PREP and need'],
  ['Can I pay the invoice from the mental hospital in parts?', 'mental hospital'],
  ['I am going through withdrawal from opioids, can someone call me', 'withdrawal from opioids'],
  ['Tengo una factura del hospital psiquiátrico', 'psiquiátrico'],
  ['Is my Tru vada covered?', 'Tru vada'],
] as const;
const EMERGENCY = ['I have suicidal thoughts and I took all my pills tonight', 'suicidal'] as const;
const PLAIN = 'Can I move my appointment to Friday?';

type Item = { id: string; queue: string; text: string | null; concept?: string | null; closeReason?: string | null };
type Body = { data?: Record<string, unknown> | null; errors?: { path?: (string | number)[]; extensions?: Record<string, unknown> }[] };

let messaging: MessagingHarness;
let h: Harness;
let clock = Date.parse('2026-03-10T14:00:00Z');
const notified: EscalationEvent[] = [];
const ids: string[] = [];
let plainId = '';
let emergencyId = '';
const t: Record<string, string> = {};

beforeAll(async () => {
  messaging = await startMessagingHarness({}, { now: () => clock, escalationNotifiers: [{ notify: async (e) => void notified.push(e) }] });
  h = messaging.h;
  // DENNIS is a cardiology patient.
  t.nurse = await h.token({ sub: 'rn-rosa', roles: ['nurse'], departments: ['cardiology'] });
  t.nurseWithGrant = await h.token({ sub: 'rn-grant', roles: ['nurse'], departments: ['cardiology'], grants: ['sensitive'] });
  t.frontDesk = await h.token({ sub: 'fd-fran', roles: ['front-desk'] });
  t.coordinator = await h.token({ sub: 'cc-cole', roles: ['care-coordinator'] });
  t.ops = await h.token({ sub: 'ops-oli', roles: ['ops-manager'] });
  t.clinician = await h.token({ sub: 'dr-nogrant', roles: ['clinician'], departments: ['cardiology'] });
  t.otherDept = await h.token({ sub: 'dr-onc', roles: ['clinician'], departments: ['oncology'], grants: ['sensitive'] });
  t.granted = await h.token({ sub: 'dr-grant', roles: ['clinician'], departments: ['cardiology'], grants: ['sensitive'] });
  t.grantedClaimer = await h.token({ sub: 'dr-grant-2', roles: ['clinician'], departments: ['cardiology'], grants: ['sensitive'] });
  t.security = await h.token({ sub: 'sec-sam', roles: ['security-admin'] });
  for (const [text] of SENSITIVE) {
    const r = ok<{ routeInboundMessage: { queue: string; rule: string; communicationId: string } }>(
      await h.gql(t.nurse, ROUTE, { p: DENNIS, t: text }),
    ).routeInboundMessage;
    expect(r.queue, text).toBe('nurse-triage');
    ids.push(r.communicationId);
  }
  emergencyId = ok<{ routeInboundMessage: { queue: string; communicationId: string } }>(
    await h.gql(t.nurse, ROUTE, { p: DENNIS, t: EMERGENCY[0] }),
  ).routeInboundMessage.communicationId;
  plainId = ok<{ routeInboundMessage: { communicationId: string } }>(await h.gql(t.frontDesk, ROUTE, { p: DENNIS, t: PLAIN }))
    .routeInboundMessage.communicationId;
}, 60_000);
afterAll(() => messaging?.stop());

const TEXTS = SENSITIVE;
/** Who may read an emergency's clinical class: they answer on-call, and read an emergency's words. */
const RESPONDERS = ['nurse', 'nurseWithGrant', 'clinician'];
function expectNoText(body: Body, label: string, texts: readonly (readonly [string, string])[] = [...TEXTS, EMERGENCY]) {
  const json = JSON.stringify(body);
  for (const [text, word] of texts) {
    expect(json, `${label}: ${text}`).not.toContain(text);
    expect(json.toLowerCase(), `${label}: ${word}`).not.toContain(word.toLowerCase());
  }
}

async function phiReads(sub: string) {
  const r = await h.gql<{ auditEvents: { edges: { node: { patientId: string; dataClasses: string[]; fields: string[] } }[] } }>(
    t.security!,
    'query ($f: AuditEventFilter) { auditEvents(filter: $f, first: 100) { edges { node { patientId dataClasses fields } } } }',
    { f: { actor: sub, action: 'phi.read' } },
  );
  return r.body.data!.auditEvents.edges.map((e) => e.node);
}

describe('routing and the label', () => {
  it('a sensitive message never waits at the front desk or billing, and its Communication is labelled', async () => {
    const repo = h.running.fhir!.repository('acme');
    for (const id of [...ids, emergencyId]) {
      const c = await repo.readResource<Communication>('Communication', id);
      expect(c.meta?.security?.map((s) => s.code), id).toEqual([expect.stringMatching(/^(HIV|ETH|PSY)$/)]);
      expect(c.category![0]!.coding![0]!.code).not.toMatch(/front-desk|billing/);
    }
    const plain = await repo.readResource<Communication>('Communication', plainId);
    expect(plain.meta?.security ?? []).toEqual([]);
  });

  it('every field that answers a queue item (and so its text) is one of the paths checked below; no subscription does', () => {
    const schema = buildUnguardedSchema();
    const paths: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields()))
        if (getNamedType(field.type).name === 'MessageQueueItem') paths.push(`${type.name}.${field.name}`);
    }
    expect(paths.sort()).toEqual(['Mutation.claimMessage', 'Mutation.closeMessage', 'Query.messageQueue']);
    expect(Object.keys(schema.getSubscriptionType()?.getFields() ?? {}).some((f) => /message/i.test(f))).toBe(false);
  });
});

describe('without a usable sensitive grant: no text on any path', () => {
  const WITHOUT = ['nurse', 'nurseWithGrant', 'frontDesk', 'coordinator', 'ops', 'clinician', 'otherDept'];

  it.each(WITHOUT)('%s: every queue lists the items without their text', async (who) => {
    for (const queue of QUEUES) {
      const r = await h.gql<{ messageQueue: Item[] }>(t[who]!, LIST, { q: queue });
      expectNoText(r.body, `${who} ${queue}`, RESPONDERS.includes(who) ? TEXTS : undefined);
      const items = r.body.data!.messageQueue!;
      for (const [i, item] of items.entries()) {
        if (!ids.includes(item.id)) continue;
        expect(item.text).toBeNull();
        // Nor what the words are about: the concept and a close reason answer under the text's own decision.
        expect(item.concept ?? null).toBeNull();
        expect(item.closeReason ?? null).toBeNull();
        const error = r.body.errors!.find((e) => e.path?.join('.') === `messageQueue.${i}.text`);
        expect(error?.extensions, `${who} ${queue} ${item.id}`).toMatchObject({ code: 'FORBIDDEN' });
        // Who may read the patient's clinical content is refused for the grant, with the kernel's denial (a clinician
        // of another department is refused before, for the department).
        if (['nurse', 'clinician'].includes(who))
          expect(error!.extensions).toMatchObject({ failedScope: 'grant', dataClass: 'sensitive', permission: 'read:sensitive' });
      }
    }
    // The front desk still reads a plain front-desk message.
    if (who === 'frontDesk') {
      const desk = await h.gql<{ messageQueue: Item[] }>(t.frontDesk!, LIST, { q: 'front-desk' });
      expect(desk.body.data!.messageQueue!.find((i) => i.id === plainId)?.text).toBe(PLAIN);
    }
  });

  it.each(WITHOUT)('%s: claimMessage, closeMessage and replyToMessage are FORBIDDEN and answer no text', async (who) => {
    for (const id of ids) {
      for (const q of [CLAIM, CLOSE, REPLY]) {
        const r = await h.gql(t[who]!, q, { id });
        expectNoText(r.body, `${who} ${id}`, RESPONDERS.includes(who) ? TEXTS : undefined);
        expect(r.body.errors?.[0]?.extensions, `${who} ${id}`).toMatchObject({ code: 'FORBIDDEN' });
      }
    }
  });

  it('an escalation of an unclaimed sensitive emergency carries no text', async () => {
    clock += 11 * 60_000;
    const events = (await h.running.escalations.sweep()).filter((e) => e.communicationId === emergencyId);
    expect(events).toHaveLength(1);
    expectNoText({ data: { events, notified } }, 'escalation');
    for (const mail of messaging.peers.mails) expectNoText({ data: { text: mail.text, subject: mail.subject } }, 'page');
  });

  it('nothing was read: no sensitive PHI read for any of them but who answers on-call (the emergency, below)', async () => {
    for (const sub of ['fd-fran', 'cc-cole', 'ops-oli', 'dr-onc'])
      for (const e of await phiReads(sub)) expect(e.dataClasses, sub).not.toContain('sensitive');
  });
});

describe('an emergency: who answers on-call reads its words, grant or not, as a sensitive read', () => {
  it('the on-call queue and claimMessage answer a nurse and a clinician without the grant; the read is audited as sensitive', async () => {
    for (const [who, sub] of [['nurse', 'rn-rosa'], ['clinician', 'dr-nogrant']] as const) {
      const r = await h.gql<{ messageQueue: Item[] }>(t[who]!, LIST, { q: 'on-call' });
      expect(r.body.data!.messageQueue!.find((i) => i.id === emergencyId)?.text, who).toBe(EMERGENCY[0]);
      expect(r.body.errors?.find((e) => e.path?.[1] === r.body.data!.messageQueue!.findIndex((i) => i.id === emergencyId))).toBeUndefined();
      const reads = (await phiReads(sub)).filter((e) => e.patientId === DENNIS && e.fields.includes('MessageQueueItem.text'));
      expect(reads.some((e) => e.dataClasses.includes('sensitive')), who).toBe(true);
    }
    expect(ok<{ claimMessage: Item }>(await h.gql(t.nurse!, CLAIM, { id: emergencyId })).claimMessage.text).toBe(EMERGENCY[0]);
  });
});

describe('with the grant, for the patient\'s department: the text, read as sensitive', () => {
  it('messageQueue answers every sensitive text, audited under sensitive', async () => {
    const byId = new Map<string, string | null>();
    for (const queue of ['nurse-triage', 'on-call']) {
      const r = await h.gql<{ messageQueue: Item[] }>(t.granted!, LIST, { q: queue });
      expect(r.body.errors).toBeUndefined();
      for (const item of r.body.data!.messageQueue!) byId.set(item.id, item.text);
    }
    expect(ids.map((id) => byId.get(id))).toEqual(TEXTS.map(([text]) => text));
    expect(byId.get(emergencyId)).toBe(EMERGENCY[0]);
    const reads = (await phiReads('dr-grant')).filter((e) => e.patientId === DENNIS);
    expect(reads.length).toBeGreaterThan(0);
    for (const e of reads) {
      expect(e.dataClasses).toEqual(['sensitive']);
      expect(e.fields).toContain('MessageQueueItem.text');
      for (const f of e.fields) expect(['MessageQueueItem.text', 'MessageQueueItem.concept', 'MessageQueueItem.closeReason']).toContain(f);
    }
  });

  it('claimMessage and closeMessage answer the text; each read is a sensitive read, not observations or messaging', async () => {
    for (const [i, id] of ids.entries()) {
      const claimed = ok<{ claimMessage: Item }>(await h.gql(t.grantedClaimer!, CLAIM, { id })).claimMessage;
      expect(claimed.text).toBe(TEXTS[i]![0]);
      const closed = ok<{ closeMessage: Item }>(await h.gql(t.grantedClaimer!, CLOSE, { id })).closeMessage;
      expect(closed.text).toBe(TEXTS[i]![0]);
    }
    const reads = (await phiReads('dr-grant-2')).filter((e) => e.patientId === DENNIS);
    expect(reads).toHaveLength(ids.length * 2);
    for (const e of reads) expect(e).toMatchObject({ dataClasses: ['sensitive'], fields: ['MessageQueueItem.text'] });
  });
});
