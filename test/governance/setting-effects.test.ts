import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTING_DEFINITIONS, SETTING_TEMPLATES } from '../../src/governance/setting-catalog.js';
import { routeInbound } from '../../connectors/messaging/inbound-routing.js';
import { MessagingSettingsReader } from '../../src/services/messaging/messaging-settings.js';
import { memoryStores } from '../../src/stores/create-store.js';
import { governanceOn, person } from '../support/governance-fixtures.js';
import { updateSetting } from '../../src/services/governance/setting-proposals.js';
import { approveChange } from '../../src/services/governance/transition.js';

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
  'ai.model': {
    kind: 'served',
    file: 'test/api/governance-history.test.ts',
    test: 'lists every version, oldest first, with who, when, why and the change that wrote it',
  },
  'ai.guardrails': {
    kind: 'served',
    file: 'test/api/governance-history.test.ts',
    test: 'diffs structured values entry by entry (JSON Pointer paths, add/remove/replace)',
  },
  'ai.safetyThreshold': {
    kind: 'served',
    file: 'test/api/governance-history.test.ts',
    test: 'in staging a rollback is a MEDIUM change like any other: it applies the old value as a new version',
  },
  'ai.agentAutonomy': {
    kind: 'enforced',
    file: 'test/services/agent-autonomy.test.ts',
    test: 'after a governed change allowing one action, that agent does it alone; other actions and other agents still queue',
  },
  'ai.agentAutonomy.<id>': {
    kind: 'enforced',
    file: 'test/services/agent-autonomy.test.ts',
    test: 'after a governed change allowing one action, that agent does it alone; other actions and other agents still queue',
  },
  'ai.promptTemplate.<id>': {
    kind: 'served',
    file: 'test/api/governance-history.test.ts',
    test: 'a keyed setting appears once it is set (a prompt template)',
  },
  'integration.webhookRoutes': {
    kind: 'enforced',
    file: 'test/api/approver-notifications.test.ts',
    test: 'a proposal reaches its route signed, naming who can approve it and nothing of its values',
  },
  'integration.<id>.credentials': {
    kind: 'enforced',
    file: 'test/api/connector-smart-auth.test.ts',
    test: 'queues production credentials for approval (security required), keeps the old one, and diffs only a fingerprint',
  },
  'integration.<id>.baseUrl': {
    kind: 'enforced',
    file: 'test/api/connectors-config.test.ts',
    test: 'maps configureConnector onto governed settings and lists the connector',
  },
  'integration.<id>.scopes': {
    kind: 'enforced',
    file: 'test/api/connectors-write-back.test.ts',
    test: 'writes after the governed enable; a retry with the same key creates one resource',
  },
  'integration.<id>.writeBackEnabled': {
    kind: 'enforced',
    file: 'test/api/connectors-write-back.test.ts',
    test: 'writes after the governed enable; a retry with the same key creates one resource',
  },
  'integration.<id>.writeBackMappings': {
    kind: 'enforced',
    file: 'test/api/connectors-write-back.test.ts',
    test: 'writeBackMappings, once applied, limits what is written; emptied, everything the scopes allow is written again',
  },
  'billing.reminderCadenceDays': {
    kind: 'enforced',
    file: 'test/api/billing-automation.test.ts',
    test: 'follows a governed rule change on the next run',
  },
  'billing.failedPaymentEscalation': {
    kind: 'enforced',
    file: 'test/api/billing-automation.test.ts',
    test: 'follows a governed rule change on the next run',
  },
  'billing.refundThreshold': {
    kind: 'enforced',
    file: 'test/api/billing-refunds.test.ts',
    test: 'queues a refund above the threshold for one finance approver with MFA; nothing reaches FHIR before',
  },
  'billing.refundWindowHours': {
    kind: 'enforced',
    file: 'test/api/refund-splitting.test.ts',
    test: 'billing.refundWindowHours: refunds older than the window no longer count; a governed change widens it',
  },
  'messaging.templates': {
    kind: 'enforced',
    file: here,
    test: 'messaging obeys an applied templates, channels, routing, office-hours and emergency change on the next message',
  },
  'messaging.channels': {
    kind: 'enforced',
    file: here,
    test: 'messaging obeys an applied templates, channels, routing, office-hours and emergency change on the next message',
  },
  'messaging.officeHours': {
    kind: 'enforced',
    file: here,
    test: 'messaging obeys an applied templates, channels, routing, office-hours and emergency change on the next message',
  },
  'messaging.routingRules': {
    kind: 'enforced',
    file: 'test/api/messaging-routing.test.ts',
    test: 'obeys a governed routing change on the next message, including language rules',
  },
  'messaging.emergencyEscalationRules': {
    kind: 'enforced',
    file: here,
    test: 'messaging obeys an applied templates, channels, routing, office-hours and emergency change on the next message',
  },
  'access.mfaPolicy': {
    kind: 'enforced',
    file: 'test/api/mfa-policy.test.ts',
    test: 'all-users, 1 hour: a non-MFA token is refused MFA_REQUIRED; an MFA session older than an hour SESSION_TOO_OLD',
  },
  'audit.retentionDays': {
    kind: 'enforced',
    file: 'test/audit/archive.test.ts',
    test: 'default (six years) drops the 2015 and 2019 months; ten years, applied through governance, keeps 2019',
  },
  'messaging.emergencyReplies': {
    kind: 'enforced',
    file: 'test/api/message-queues.test.ts',
    test: 'changed template on the next emergency',
  },
  'messaging.queueSla': {
    kind: 'enforced',
    file: 'test/api/message-queues.test.ts',
    test: 'follows a governed SLA change, and says so in the queue counts',
  },
  'messaging.onCallRoster': {
    kind: 'enforced',
    file: 'test/api/message-queues.test.ts',
    test: 'pages the next on-call after the SLA, again each SLA later, and stops once claimed',
  },
  'messaging.triageLexicon': { kind: 'enforced', file: here, test: 'triage follows an applied lexicon change on the next message' },
  'access.approverContacts': {
    kind: 'enforced',
    file: 'test/api/approver-email.test.ts',
    test: 'an approver who can act on a change gets an email when it is proposed: a console link, none of its values',
  },
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
    const svc = governanceOn(memoryStores().governance);
    const reader = new MessagingSettingsReader(svc, 'STAGING');
    const ops = person('ops', ['ops-manager']);
    const clinicalAdmin = person('ca', ['clinical-admin']);
    const before = { sending: await reader.forSending('acme'), rules: await reader.routingRules('acme') };
    // Through the real approval flow: a change that needs an approver gets one (another person of the owner function).
    const apply = async (who: typeof ops, key: string, value: unknown) => {
      const r = await updateSetting(svc, who, { key, environment: 'STAGING', value: value as never, reason: 'effect test' });
      const status =
        r.status === 'APPLIED' ? r.status : (await approveChange(svc, person(`${who.sub}-2`, [...who.roles]), r.change.id)).status;
      expect(status, key).toBe('APPLIED');
    };
    const templates = {
      'visit-follow-up': {
        locale: 'en',
        channel: 'email',
        subject: 'Your visit',
        body: 'Thank you for visiting on {{date}}.',
        translations: {},
      },
    };
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

  it('triage follows an applied lexicon change on the next message', async () => {
    const svc = governanceOn(memoryStores().governance);
    const reader = new MessagingSettingsReader(svc, 'STAGING');
    // A made-up term: whatever the shipped lexicon covers, it does not cover this until the clinical owner adds it.
    const text = 'I think I have glorbix syndrome';
    const at = new Date('2026-03-10T14:00:00Z');
    const before = routeInbound(text, await reader.routingRules('acme'), { at });
    const lexicon = (await reader.routingRules('acme')).lexicon;
    // The clinical owner adds a term to an emergency concept (reviewed data, not code).
    const concepts = lexicon.concepts.map((c, i) => (i === lexicon.concepts.findIndex((k) => k.level === 'emergency')
      ? { ...c, terms: { ...c.terms, en: [...(c.terms.en ?? []), 'glorbix syndrome'] } }
      : c));
    const clinicalAdmin = person('ca', ['clinical-admin']);
    const r = await updateSetting(svc, clinicalAdmin, {
      key: 'messaging.triageLexicon',
      environment: 'STAGING',
      value: { ...lexicon, concepts } as never,
      reason: 'effect test',
    });
    const status = r.status === 'APPLIED' ? r.status : (await approveChange(svc, person('ca-2', ['clinical-admin']), r.change.id)).status;
    expect(status).toBe('APPLIED');
    const after = routeInbound(text, await reader.routingRules('acme'), { at });
    expect(before.queue).not.toBe('on-call');
    expect(after).toMatchObject({ queue: 'on-call', emergency: true });
  });
});
