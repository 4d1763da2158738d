import { describe, expect, it } from 'vitest';
import { CATEGORIES, ENVIRONMENTS } from '../../src/governance/environment.js';
import {
  connectorSettingKey, findSetting, promptTemplateKey, SETTING_DEFINITIONS, SETTING_TEMPLATES, validateSettingValue,
} from '../../src/governance/setting-catalog.js';

const problems = (key: string, value: unknown) => {
  const r = validateSettingValue(key, value);
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
};

describe('setting catalog', () => {
  it('every default value is valid for its schema', () => {
    for (const d of SETTING_DEFINITIONS)
      expect(validateSettingValue(d.key, d.defaultValue), d.key).toEqual({ ok: true, value: d.defaultValue });
    for (const t of SETTING_TEMPLATES) expect(t.schema.safeParse(t.defaultValue).success, t.pattern).toBe(true);
  });

  it('covers every category, and every setting has a risk per environment', () => {
    expect(new Set([...SETTING_DEFINITIONS, ...SETTING_TEMPLATES].map((d) => d.category))).toEqual(new Set(CATEGORIES));
    for (const d of [...SETTING_DEFINITIONS, ...SETTING_TEMPLATES]) expect(Object.keys(d.risk).sort()).toEqual([...ENVIRONMENTS].sort());
  });

  it('owners and risks follow the seed', () => {
    expect(findSetting('messaging.emergencyEscalationRules')).toMatchObject({
      category: 'messaging',
      ownerFunction: 'clinical',
      risk: { PRODUCTION: 'HIGH' },
    });
    expect(findSetting('messaging.templates')).toMatchObject({ ownerFunction: 'operations', risk: { PRODUCTION: 'MEDIUM' } });
    expect(findSetting('ai.model')).toMatchObject({ ownerFunction: 'clinical', risk: { PRODUCTION: 'HIGH' } });
    expect(findSetting('billing.refundThreshold')).toMatchObject({ ownerFunction: 'finance', risk: { PRODUCTION: 'HIGH' } });
    expect(findSetting('billing.reminderCadenceDays')).toMatchObject({ risk: { STAGING: 'LOW', PRODUCTION: 'MEDIUM' } });
    expect(findSetting('access.mfaPolicy')).toMatchObject({ ownerFunction: 'security', risk: { STAGING: 'HIGH', PRODUCTION: 'HIGH' } });
    expect(findSetting('audit.retentionDays')).toMatchObject({
      ownerFunction: 'security',
      risk: { STAGING: 'MEDIUM', PRODUCTION: 'HIGH' },
    });
    expect(findSetting('integration.ehr.writeBackEnabled')).toMatchObject({
      key: 'integration.ehr.writeBackEnabled',
      ownerFunction: 'technical',
      risk: { PRODUCTION: 'HIGH' },
    });
  });

  it('resolves keyed families and refuses bad keys', () => {
    expect(findSetting('ai.promptTemplate.triage')?.category).toBe('ai-behavior');
    expect(findSetting('integration.athena-east.scopes')?.key).toBe('integration.athena-east.scopes');
    for (const bad of [
      'ai.promptTemplate.',
      'ai.promptTemplate.Triage',
      'integration..baseUrl',
      'integration.a.b.baseUrl',
      'integration.ehr.secret',
      'ai.nope',
      '',
    ]) {
      expect(findSetting(bad), bad).toBeNull();
    }
    expect(problems('ai.nope', 1)).toEqual(['key: unknown setting "ai.nope"']);
  });

  it('maps setWriteBack(connectorId) to a setting key', () => {
    expect(connectorSettingKey('ehr', 'writeBackEnabled')).toEqual({ ok: true, key: 'integration.ehr.writeBackEnabled' });
    expect(connectorSettingKey('EHR!', 'writeBackEnabled')).toEqual({
      ok: false,
      problems: [{ path: 'connectorId', message: 'must be lower-case kebab-case, 1 to 63 characters' }],
    });
    expect(promptTemplateKey('triage')).toEqual({ ok: true, key: 'ai.promptTemplate.triage' });
  });

  it('validation errors name the field', () => {
    expect(problems('ai.safetyThreshold', { threshold: 1.5 })).toEqual(['value.threshold: must be between 0 and 1']);
    expect(problems('ai.safetyThreshold', { threshold: 0.5, extra: 1 })).toEqual(['value: Unrecognized key: "extra"']);
    expect(problems('integration.ehr.writeBackEnabled', 'yes')).toEqual(['value: Invalid input: expected boolean, received string']);
    expect(problems('integration.ehr.baseUrl', 'http://fhir.example.com')).toEqual(['value: must use https (http only on localhost)']);
    expect(problems('integration.ehr.baseUrl', 'https://u:p@fhir.example.com')).toEqual(['value: must not contain credentials']);
    expect(problems('integration.ehr.baseUrl', 'http://localhost:8103/fhir')).toEqual([]);
    expect(problems('integration.ehr.scopes', ['patient/Observation.rs', 'patient/Observation.'])).toEqual([
      'value[1]: must be a SMART v2 scope such as patient/Observation.rs',
    ]);
    expect(problems('billing.reminderCadenceDays', [7, 7])).toEqual(['value: must be strictly increasing']);
    expect(problems('billing.refundThreshold', { amount: -1, currency: 'usd' })).toEqual([
      'value.amount: must be zero or more',
      'value.currency: must be an ISO 4217 code such as USD',
    ]);
    expect(problems('messaging.officeHours', { timezone: 'UTC', weekly: [{ day: 'mon', open: '17:00', close: '08:00' }] })).toEqual([
      'value.weekly[0].close: must close after it opens',
    ]);
    expect(problems('messaging.emergencyEscalationRules', [])).toEqual(['value: must keep at least one emergency rule']);
    expect(problems('audit.retentionDays', 30)).toEqual(['value: must be between 2190 and 36500']);
    expect(problems('access.mfaPolicy', { requiredFor: 'all-users', requiredForApprovals: false, maxSessionHours: 8 })).toEqual([
      'value.requiredForApprovals: must be true: approvals always need MFA where rules say so',
    ]);
  });
});
