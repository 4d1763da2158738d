import { describe, expect, it } from 'vitest';
import { findSetting } from '../../../src/governance/setting-catalog.js';
import { routeInbound, withinOfficeHours, type EmergencyRule, type OfficeHours, type RoutingRule } from '../../../connectors/messaging/inbound-routing.js';

// The default governed rules, as a table: inbound patient messages (emergency phrasing included) and their queues.

const rules = {
  routing: findSetting('messaging.routingRules')!.defaultValue as unknown as RoutingRule[],
  emergency: findSetting('messaging.emergencyEscalationRules')!.defaultValue as unknown as EmergencyRule[],
  officeHours: findSetting('messaging.officeHours')!.defaultValue as unknown as OfficeHours,
};
const TUESDAY_10_NY = new Date('2026-03-10T14:00:00Z');
const SUNDAY_NIGHT_NY = new Date('2026-03-08T03:00:00Z');

describe('routeInbound', () => {
  it.each([
    ['I need a refill of my lisinopril', 'nurse-triage', 'routing[0]'],
    ['Question about my last BILL, it seems too high', 'billing', 'routing[1]'],
    ['Can I get a copy of the invoice?', 'billing', 'routing[1]'],
    ['I have CHEST PAIN since this morning', 'on-call', 'emergency[0]'],
    ['my husband cannot breathe!!', 'on-call', 'emergency[0]'],
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
    expect(routeInbound('chest pain', rules, { at: SUNDAY_NIGHT_NY })).toMatchObject({ queue: 'on-call', action: 'advise-emergency-services', withinOfficeHours: false });
    expect(routeInbound('refill please', rules, { at: SUNDAY_NIGHT_NY })).toMatchObject({ queue: 'nurse-triage', withinOfficeHours: false });
    expect(withinOfficeHours(rules.officeHours, TUESDAY_10_NY)).toBe(true);
  });

  it('honours language rules', () => {
    const es = { ...rules, routing: [{ match: { language: 'es' }, queue: 'front-desk' as const }, ...rules.routing] };
    expect(routeInbound('necesito una receta', es, { at: TUESDAY_10_NY, language: 'es' }).rule).toBe('routing[0]');
    expect(routeInbound('refill', es, { at: TUESDAY_10_NY, language: 'en' }).rule).toBe('routing[1]');
  });
});
