import type { Communication } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { emergencyReplyFor } from '../../../connectors/messaging/emergency-reply.js';
import { DEFAULT_EMERGENCY_REPLIES } from '../../../src/governance/default-emergency-replies.js';
import { classify, compileLexicon } from '../../../connectors/messaging/triage-classify.js';
import { DEFAULT_TRIAGE_LEXICON } from '../../../src/governance/triage-default-lexicon.js';
import { claim, close, escalate, escalationDue, isClinical, mayWork, queueItemOf } from '../../../connectors/messaging/queue-item.js';
import { inboundCommunication, QUEUE_SYSTEM } from '../../../connectors/messaging/inbox.js';
import { routeInbound, type RoutingInput } from '../../../connectors/messaging/inbound-routing.js';
import { findSetting } from '../../../src/governance/setting-catalog.js';

// The pure parts of working a queue: reading an item from its Communication, the transitions and who may make them,
// the escalation schedule, and which emergency answer in which language.

const RECEIVED = '2026-03-10T14:00:00.000Z';
const ROUTING = {
  routing: findSetting('messaging.routingRules')!.defaultValue,
  emergency: findSetting('messaging.emergencyEscalationRules')!.defaultValue,
  officeHours: findSetting('messaging.officeHours')!.defaultValue,
  lexicon: DEFAULT_TRIAGE_LEXICON,
} as unknown as RoutingInput;
const at = (min: number) => Date.parse(RECEIVED) + min * 60_000;
const inbound = (queue: string, extra: Partial<Communication> = {}): Communication & { id: string } => ({
  resourceType: 'Communication',
  id: 'c1',
  meta: { versionId: '1' },
  status: 'in-progress',
  priority: queue === 'on-call' ? 'stat' : 'routine',
  category: [{ coding: [{ system: QUEUE_SYSTEM, code: queue }] }],
  sender: { reference: 'Patient/p1' },
  subject: { reference: 'Patient/p1' },
  received: RECEIVED,
  payload: [{ contentString: 'my chest hurts' }],
  extension: [{ url: 'urn:clearance:triage-level', valueCode: 'emergency' }],
  ...extra,
});

describe('queue items', () => {
  it('reads an item; anything that is not an inbound queue message is none', () => {
    expect(queueItemOf(inbound('on-call'))).toMatchObject({
      id: 'c1',
      queue: 'on-call',
      status: 'WAITING',
      patientId: 'p1',
      triageLevel: 'emergency',
      escalationLevel: 0,
      text: 'my chest hurts',
    });
    expect(queueItemOf(inbound('on-call', { category: [] }))).toBeNull();
    expect(queueItemOf(inbound('elsewhere'))).toBeNull();
    expect(queueItemOf(inbound('on-call', { sender: { reference: 'Practitioner/x' } }))).toBeNull();
  });

  it('claims once, works only as the claimer, closes with a reason', () => {
    const c = claim(inbound('nurse-triage'), 'rn-rosa', RECEIVED);
    if (!c.ok) throw new Error('claim refused');
    expect(queueItemOf(c.resource)).toMatchObject({ status: 'CLAIMED', claimedBy: 'rn-rosa' });
    expect(claim(c.resource, 'dr-grey', RECEIVED)).toEqual({ ok: false, refusal: 'CLAIMED_BY_OTHER' });
    expect(claim(c.resource, 'rn-rosa', RECEIVED).ok).toBe(true);
    expect(mayWork(inbound('nurse-triage'), 'rn-rosa')).toBe('NOT_CLAIMED');
    expect(mayWork(c.resource, 'dr-grey')).toBe('CLAIMED_BY_OTHER');
    expect(close(c.resource, 'dr-grey', 'done', RECEIVED)).toEqual({ ok: false, refusal: 'CLAIMED_BY_OTHER' });
    const closed = close(c.resource, 'rn-rosa', 'Advice given', RECEIVED);
    if (!closed.ok) throw new Error('close refused');
    expect(queueItemOf(closed.resource)).toMatchObject({ status: 'CLOSED', closeReason: 'Advice given' });
    expect(claim(closed.resource, 'rn-rosa', RECEIVED)).toEqual({ ok: false, refusal: 'CLOSED' });
  });

  it('escalates an unclaimed on-call item each SLA, never a claimed one or another queue', () => {
    const item = queueItemOf(inbound('on-call'))!;
    expect(escalationDue(item, 10, at(9))).toBe(false);
    expect(escalationDue(item, 10, at(10))).toBe(true);
    const once = queueItemOf(escalate(inbound('on-call'), 1, RECEIVED))!;
    expect(once.escalationLevel).toBe(1);
    expect(escalationDue(once, 10, at(19))).toBe(false);
    expect(escalationDue(once, 10, at(20))).toBe(true);
    const claimed = claim(inbound('on-call'), 'dr-grey', RECEIVED);
    expect(claimed.ok && escalationDue(queueItemOf(claimed.resource)!, 10, at(60))).toBe(false);
    expect(escalationDue(queueItemOf(inbound('nurse-triage'))!, 10, at(600))).toBe(false);
  });

  it.each([
    ['on-call', null, true],
    ['nurse-triage', null, true],
    ['front-desk', 'clinical', true],
    ['front-desk', 'none', false],
    ['billing', null, false],
  ] as const)('%s (%s) is clinical: %s', (queue, triageLevel, clinical) => {
    expect(isClinical({ queue, triageLevel })).toBe(clinical);
  });

  it('marks an item sensitive by its label (inboundCommunication) or by its words; a sensitive item is clinical anywhere', () => {
    const decision = routeInbound('Please change my appointment, also I relapsed on heroin last week', ROUTING, { at: new Date(RECEIVED) });
    const labelled = { ...inboundCommunication('p1', 'Please change my appointment', decision, RECEIVED), id: 'c2' };
    expect(labelled.meta?.security).toEqual([expect.objectContaining({ code: 'ETH' })]);
    expect(queueItemOf(labelled)).toMatchObject({ queue: 'nurse-triage', sensitive: true });
    // Routed before the label existed, or written by another system: its words decide.
    const unlabelled = inbound('front-desk', { payload: [{ contentString: 'I ran out of my Biktarvy' }], extension: [] });
    expect(queueItemOf(unlabelled)).toMatchObject({ queue: 'front-desk', sensitive: true });
    expect(isClinical(queueItemOf(unlabelled)!)).toBe(true);
    const plain = inbound('front-desk', { payload: [{ contentString: 'Can I move my appointment?' }], extension: [] });
    expect(queueItemOf(plain)).toMatchObject({ sensitive: false });
    expect(isClinical(queueItemOf(plain)!)).toBe(false);
    // A claim keeps the label.
    const claimed = claim(labelled, 'dr-a', RECEIVED);
    expect(claimed.ok && queueItemOf(claimed.resource)!.sensitive).toBe(true);
  });
});

describe('the emergency answer', () => {
  const lexicon = compileLexicon(DEFAULT_TRIAGE_LEXICON);
  it.each([
    ['my chest hurts', null, 'emergency', 'en'],
    ['tengo dolor en el pecho', 'en', 'emergency', 'es'],
    ['I want to kill myself', 'es', 'crisis', 'en'],
    ['me quiero matar', null, 'crisis', 'es'],
  ] as const)('%s (chart language %s): %s in %s', (text, chart, kind, locale) => {
    const chosen = emergencyReplyFor(classify(text, lexicon), DEFAULT_EMERGENCY_REPLIES, chart);
    expect(chosen).toMatchObject({ kind, template: { locale } });
    expect(chosen!.template.body).toMatch(kind === 'crisis' ? /988/ : /911/);
  });

  it('is none for anything but an emergency', () => {
    expect(emergencyReplyFor(classify('I have a fever', lexicon), DEFAULT_EMERGENCY_REPLIES, 'en')).toBeNull();
  });
});
