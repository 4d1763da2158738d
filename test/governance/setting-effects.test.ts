import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTING_DEFINITIONS, SETTING_TEMPLATES } from '../../src/governance/setting-catalog.js';
import { MessagingSettingsReader } from '../../src/services/messaging/messaging-settings.js';
import { createMemoryGovernanceStore } from '../../src/stores/memory-governance-store.js';
import { governanceOn, person } from '../support/governance-fixtures.js';

// Issue 13 item 8: no governed setting without an effect. Every catalog key (and every keyed family's pattern) names
// the test that applies it and observes the behaviour change; the coverage test below fails when a catalog entry
// has none, when the named test is gone, or when the table names a key the catalog no longer has.
// `served` effects are values the gateway hands to the AI products behind it (Query.setting): their effect is what
// the product then reads. `marked` entries get their effect test from another issue and are linked at merge.

type Effect =
  | { readonly kind: 'enforced' | 'served'; readonly file: string; readonly test: string }
  | { readonly kind: 'marked'; readonly note: string };

const here = 'test/governance/setting-effects.test.ts';
const EFFECTS: Readonly<Record<string, Effect>> = {
  'ai.model': { kind: 'served', file: 'test/api/governance-history.test.ts', test: 'lists every version, oldest first, with who, when, why and the change that wrote it' },
  'ai.guardrails': { kind: 'served', file: 'test/api/governance-history.test.ts', test: 'diffs structured values entry by entry (JSON Pointer paths, add/remove/replace)' },
  'ai.safetyThreshold': { kind: 'served', file: 'test/api/governance-history.test.ts', test: 'in staging a rollback is a MEDIUM change like any other: it applies the old value as a new version' },
  'ai.agentAutonomy': { kind: 'enforced', file: 'test/services/agent-autonomy.test.ts', test: 'after a governed change allowing one action, that agent does it alone; other actions and other agents still queue' },
  'ai.agentAutonomy.<id>': { kind: 'enforced', file: 'test/services/agent-autonomy.test.ts', test: 'after a governed change allowing one action, that agent does it alone; other actions and other agents still queue' },
  'ai.promptTemplate.<id>': { kind: 'served', file: 'test/api/governance-history.test.ts', test: 'a keyed setting appears once it is set (a prompt template)' },
  'integration.webhookRoutes': { kind: 'marked', note: 'effect: approver notifications (issue 14)' },
  'integration.<id>.baseUrl': { kind: 'enforced', file: 'test/api/connectors-config.test.ts', test: 'maps configureConnector onto governed settings and lists the connector' },
  'integration.<id>.scopes': { kind: 'enforced', file: 'test/api/connectors-write-back.test.ts', test: 'writes after the governed enable; a retry with the same key creates one resource' },
  'integration.<id>.writeBackEnabled': { kind: 'enforced', file: 'test/api/connectors-write-back.test.ts', test: 'writes after the governed enable; a retry with the same key creates one resource' },
  'integration.<id>.writeBackMappings': { kind: 'enforced', file: 'test/api/connectors-write-back.test.ts', test: 'writeBackMappings, once applied, limits what is written; emptied, everything the scopes allow is written again' },
  'billing.reminderCadenceDays': { kind: 'enforced', file: 'test/api/billing-automation.test.ts', test: 'follows a governed rule change on the next run' },
  'billing.failedPaymentEscalation': { kind: 'enforced', file: 'test/api/billing-automation.test.ts', test: 'follows a governed rule change on the next run' },
  'billing.refundThreshold': { kind: 'enforced', file: 'test/api/billing-refunds.test.ts', test: 'queues a refund above the threshold for one finance approver with MFA; nothing reaches FHIR before' },
  'messaging.templates': { kind: 'enforced', file: here, test: 'messaging obeys an applied templates, channels, routing, office-hours and emergency change on the next message' },
  'messaging.channels': { kind: 'enforced', file: here, test: 'messaging obeys an applied templates, channels, routing, office-hours and emergency change on the next message' },
  'messaging.officeHours': { kind: 'enforced', file: here, test: 'messaging obeys an applied templates, channels, routing, office-hours and emergency change on the next message' },
  'messaging.routingRules': { kind: 'enforced', file: 'test/api/messaging-routing.test.ts', test: 'obeys a governed routing change on the next message, including language rules' },
  'messaging.emergencyEscalationRules': { kind: 'enforced', file: here, test: 'messaging obeys an applied templates, channels, routing, office-hours and emergency change on the next message' },
  'access.mfaPolicy': { kind: 'enforced', file: 'test/api/mfa-policy.test.ts', test: 'all-users, 1 hour: a non-MFA token is refused MFA_REQUIRED; an MFA session older than an hour SESSION_TOO_OLD' },
  'access.approverContacts': { kind: 'enforced', file: 'test/api/approver-email.test.ts', test: 'an approver who can act on a change gets an email when it is proposed: a console link, none of its values' },
  'audit.retentionDays': { kind: 'marked', note: 'effect: audit retention, reworked by the audit-archive helper (issue 20)' },
};

const catalogKeys = [...SETTING_DEFINITIONS.map((d) => d.key), ...SETTING_TEMPLATES.map((t) => t.pattern)];

describe('every governed setting has an effect', () => {
  it('the table covers the catalog exactly', () => {
    expect(Object.keys(EFFECTS).sort()).toEqual([...catalogKeys].sort());
  });

  it.each(catalogKeys)('%s: its effect test exists', (key) => {
    const effect = EFFECTS[key];
    expect(effect, `${key} has no effect test: give it one or take it out of the catalog`).toBeDefined();
    if (effect!.kind === 'marked') {
      expect(effect!.note).toMatch(/^effect: .+\(issue \d+\)$/);
      return;
    }
    expect(existsSync(effect!.file), effect!.file).toBe(true);
    expect(readFileSync(effect!.file, 'utf8'), `${effect!.file} has no test "${effect!.test}"`).toContain(effect!.test);
  });
});

describe('effects', () => {
  it('messaging obeys an applied templates, channels, routing, office-hours and emergency change on the next message', async () => {
    const svc = governanceOn(createMemoryGovernanceStore());
    const reader = new MessagingSettingsReader(svc, 'STAGING');
    const ops = person('ops', ['ops-manager']);
    const clinicalAdmin = person('ca', ['clinical-admin']);
    const before = { sending: await reader.forSending('acme'), rules: await reader.routingRules('acme') };
    // Through the real approval flow: a change that needs an approver gets one (another person of the owner function).
    const apply = async (who: typeof ops, key: string, value: unknown) => {
      const r = await svc.updateSetting(who, { key, environment: 'STAGING', value: value as never, reason: 'effect test' });
      const status = r.status === 'APPLIED' ? r.status : (await svc.approve(person(`${who.sub}-2`, [...who.roles]), r.change.id)).status;
      expect(status, key).toBe('APPLIED');
    };
    const templates = { 'visit-follow-up': { locale: 'en', channel: 'email', subject: 'Your visit', body: 'Thank you for visiting on {{date}}.', translations: {} } };
    await apply(ops, 'messaging.templates', templates);
    await apply(ops, 'messaging.channels', ['email']);
    await apply(ops, 'messaging.officeHours', { timezone: 'America/Chicago', weekly: [{ day: 'sat', open: '10:00', close: '12:00' }] });
    await apply(clinicalAdmin, 'messaging.emergencyEscalationRules', [{ keywords: ['overdose'], action: 'page-on-call' }]);
    const after = { sending: await reader.forSending('acme'), rules: await reader.routingRules('acme') };
    expect(Object.keys(before.sending.templates)).toContain('appointment-reminder');
    expect(Object.keys(after.sending.templates)).toEqual(['visit-follow-up']);
    expect(before.sending.channels).toEqual(['sms', 'email']);
    expect(after.sending.channels).toEqual(['email']);
    expect(after.rules.officeHours).toMatchObject({ timezone: 'America/Chicago', weekly: [{ day: 'sat' }] });
    expect(after.rules.emergency).toEqual([{ keywords: ['overdose'], action: 'page-on-call' }]);
    expect(before.rules.emergency).not.toEqual(after.rules.emergency);
  });
});
