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
