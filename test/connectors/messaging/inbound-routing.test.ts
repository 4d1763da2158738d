import { describe, expect, it } from 'vitest';
import { findSetting } from '../../../src/governance/setting-catalog.js';
import {
  routeInbound,
  withinOfficeHours,
  type EmergencyRule,
  type OfficeHours,
  type RoutingRule,
} from '../../../connectors/messaging/inbound-routing.js';
import type { TriageLexicon } from '../../../connectors/messaging/triage-lexicon.js';

// The default governed rules, as a table: inbound patient messages (emergency phrasing included) and their queues.

const rules = {
  routing: findSetting('messaging.routingRules')!.defaultValue as unknown as RoutingRule[],
  emergency: findSetting('messaging.emergencyEscalationRules')!.defaultValue as unknown as EmergencyRule[],
  officeHours: findSetting('messaging.officeHours')!.defaultValue as unknown as OfficeHours,
  lexicon: findSetting('messaging.triageLexicon')!.defaultValue as unknown as TriageLexicon,
};
const TUESDAY_10_NY = new Date('2026-03-10T14:00:00Z');
const SUNDAY_NIGHT_NY = new Date('2026-03-08T03:00:00Z');

describe('routeInbound', () => {
  it.each([
    ['I need a refill of my lisinopril', 'nurse-triage', 'triage:clinical'],
    ['Please renew it, the pharmacy needs the request', 'front-desk', 'default'],
    ['Question about my last BILL, it seems too high', 'billing', 'routing[1]'],
    ['Can I get a copy of the invoice?', 'billing', 'routing[1]'],
    ['I have CHEST PAIN since this morning', 'on-call', 'emergency[0]'],
    ['my husband cannot breathe!!', 'on-call', 'emergency[0]'],
    ['my husband cant breathe!!', 'on-call', 'emergency[0]'],
    ['my husband is struggling to breathe', 'on-call', 'triage:breathing-difficulty'],
    ['I feel suicidal tonight', 'on-call', 'emergency[0]'],
    ['chest pain when I pay my bill', 'on-call', 'emergency[0]'],
    ['Can I move my appointment to Friday?', 'front-desk', 'default'],
    ['billing-related? no: "billboard" is not a keyword', 'front-desk', 'default'],
  ])('%s -> %s (%s)', (text, queue, rule) => {
    const d = routeInbound(text, rules, { at: TUESDAY_10_NY });
    expect({ queue: d.queue, rule: d.rule }).toEqual({ queue, rule });
    expect(d.emergency).toBe(queue === 'on-call');
  });

  it('escalates emergencies outside office hours too, and says when the office is closed', () => {
    expect(routeInbound('chest pain', rules, { at: SUNDAY_NIGHT_NY })).toMatchObject({
      queue: 'on-call',
      action: 'advise-emergency-services',
      withinOfficeHours: false,
    });
    expect(routeInbound('refill please', rules, { at: SUNDAY_NIGHT_NY })).toMatchObject({
      queue: 'nurse-triage',
      withinOfficeHours: false,
    });
    expect(routeInbound('need to move my appointment', rules, { at: SUNDAY_NIGHT_NY })).toMatchObject({
      queue: 'front-desk',
      withinOfficeHours: false,
    });
    expect(withinOfficeHours(rules.officeHours, TUESDAY_10_NY)).toBe(true);
  });

  it('honours language rules', () => {
    const es = { ...rules, routing: [{ match: { language: 'es' }, queue: 'front-desk' as const }, ...rules.routing] };
    expect(routeInbound('necesito una copia de mi factura', es, { at: TUESDAY_10_NY, language: 'es' }).rule).toBe('routing[0]');
    expect(routeInbound('copy of my invoice', es, { at: TUESDAY_10_NY, language: 'en' }).rule).toBe('routing[2]');
    // Clinical content goes to nurse triage whatever a routing rule says: never the front desk.
    expect(routeInbound('necesito una receta', es, { at: TUESDAY_10_NY, language: 'es' })).toMatchObject({
      queue: 'nurse-triage',
      rule: 'triage:clinical',
    });
  });
});

// A sensitive text (HIV, substance use, mental health; the same sensitivityOfText that decides a note) is clinical
// content: never the front desk or billing, whatever the routing rules say; an emergency still pages on-call.
describe('routeInbound: sensitive messages', () => {
  it.each([
    ['Please change my appointment, also I relapsed on heroin last week', 'ETH'],
    ['Question about my bill for the Truvada PrEP visit', 'HIV'],
    ['Can I get a copy of the invoice for my AA meetings letter?', 'ETH'],
    ['Please send the form, dx F32.9', 'PSY'],
    ['need to move my H.I.V. appointment', 'HIV'],
  ] as const)('%s -> nurse-triage (%s)', (text, category) => {
    const d = routeInbound(text, rules, { at: TUESDAY_10_NY });
    expect(d).toMatchObject({ queue: 'nurse-triage', rule: 'sensitive', emergency: false, sensitive: category });
  });

  it('a sensitive text already triaged keeps its queue and says it is sensitive; a plain one is not', () => {
    expect(routeInbound('I ran out of my HIV medication Biktarvy', rules, { at: TUESDAY_10_NY })).toMatchObject({
      queue: 'nurse-triage',
      sensitive: 'HIV',
    });
    expect(routeInbound('I feel suicidal tonight', rules, { at: TUESDAY_10_NY })).toMatchObject({ queue: 'on-call', sensitive: 'PSY' });
    expect(routeInbound('Can I move my appointment to Friday?', rules, { at: TUESDAY_10_NY })).toMatchObject({
      queue: 'front-desk',
      sensitive: null,
    });
    // A routing rule that catches everything does not take a sensitive message either.
    const all = { ...rules, routing: [{ match: {}, queue: 'billing' as const }] };
    expect(routeInbound('relapsed on drinking', all, { at: TUESDAY_10_NY })).toMatchObject({ queue: 'nurse-triage', rule: 'sensitive' });
    expect(routeInbound('where do I park', all, { at: TUESDAY_10_NY })).toMatchObject({ queue: 'billing', rule: 'routing[0]' });
  });
});
