import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../rules/policy-document.js';
import type { Principal } from '../../src/auth/principal.js';
import { agentActionOf, agentAutonomyKey, agentMayActAlone, effectiveAutonomy } from '../../src/governance/agent-autonomy.js';
import { DEFAULT_APPROVAL_RULES } from '../../src/governance/approval-rules.js';
import { explainGoverned } from '../../src/governance/explain-governed.js';
import { functionsFromPolicy } from '../../src/governance/functions.js';
import { findSetting, validateSettingValue } from '../../src/governance/setting-catalog.js';
import { memoryStores } from '../../src/stores/create-store.js';
import type { GovernanceDeps } from '../../src/services/governance/deps.js';
import { updateSetting } from '../../src/services/governance/setting-proposals.js';
import { approveChange } from '../../src/services/governance/transition.js';
import { proposeEhrWrite } from '../../src/services/governance/ehr-write-proposals.js';
import { agentAutonomyOf } from '../../src/services/governance/reads.js';
import { KeyedLock } from '../../src/services/governance/keyed-lock.js';

// Issue 6, agent principals: what an agent may do alone is the governed `ai.agentAutonomy.<agentId>` (else the
// tenant-wide `ai.agentAutonomy`), decided by one pure function (src/governance/agent-autonomy.ts).

const functionsOf = functionsFromPolicy(defaultPolicy());
const person = (sub: string, roles: string[]): Principal => ({
  sub,
  tenant: 'acme',
  kind: 'user',
  roles,
  departments: [],
  mfa: true,
  scopes: null,
  grants: [],
});
// An agent that also holds a messaging editor role, so it may propose messaging settings at all.
const agent = (sub: string): Principal => ({ ...person(sub, ['ai-agent', 'ops-manager']), kind: 'agent', mfa: false });

const CHANNELS = { key: 'messaging.channels', environment: 'STAGING' as const, value: ['sms', 'email', 'portal'], reason: 'portal pilot' };
const HOURS = {
  key: 'messaging.officeHours',
  environment: 'STAGING' as const,
  value: { timezone: 'America/Chicago', weekly: [{ day: 'mon', open: '09:00', close: '17:00' }] },
  reason: 'moved',
};

function service() {
  const effects: string[] = [];
  const svc: GovernanceDeps = {
    store: memoryStores().governance,
    rules: DEFAULT_APPROVAL_RULES,
    functionsOf,
    now: () => Date.parse('2026-11-22T10:00:00Z'),
    newId: () => randomUUID(),
    locks: new KeyedLock(),
    connectorEffects: async (e) => void effects.push(e.idempotencyKey),
  };
  return { svc, effects };
}

/** The governed change of one agent's autonomy: HIGH, owned by clinical, proposed and approved by two clinical admins. */
async function grantAutonomy(svc: GovernanceDeps, agentId: string, allowedActions: string[]) {
  const r = await updateSetting(svc, person('ca-1', ['clinical-admin']), {
    key: agentAutonomyKey(agentId)!,
    environment: 'STAGING',
    value: { level: 'autonomous', allowedActions },
    reason: 'pilot',
  });
  expect(r.status).toBe('PENDING_APPROVAL');
  expect(r.change).toMatchObject({ risk: 'HIGH', ownerFunction: 'clinical', category: 'ai-behavior' });
  expect((await approveChange(svc, person('ca-2', ['clinical-admin']), r.change.id)).status).toBe('APPLIED');
}

describe('agentMayActAlone (pure)', () => {
  it('default: nothing alone; only level autonomous with the action listed; never autonomy itself; never a person', () => {
    const def = findSetting('ai.agentAutonomy')!.defaultValue;
    expect(agentMayActAlone('agent', def, 'setting:update:messaging.channels')).toMatchObject({ alone: false });
    expect(agentMayActAlone('agent', null, 'ehr:write:MedicationRequest')).toMatchObject({ alone: false });
    const on = {
      level: 'autonomous',
      allowedActions: ['setting:update:messaging.channels', 'ehr:write:MedicationRequest', 'setting:update:ai.agentAutonomy.bot'],
    };
    expect(agentMayActAlone('agent', on, 'setting:update:messaging.channels')).toEqual({ alone: true });
    expect(agentMayActAlone('agent', on, 'setting:update:messaging.officeHours')).toMatchObject({ alone: false });
    expect(agentMayActAlone('agent', { ...on, level: 'act-with-approval' }, 'setting:update:messaging.channels')).toMatchObject({
      alone: false,
    });
    expect(agentMayActAlone('agent', on, 'setting:update:ai.agentAutonomy.bot')).toMatchObject({ alone: false });
    expect(agentMayActAlone('user', on, 'setting:update:messaging.channels')).toMatchObject({ alone: false });
    expect(agentActionOf({ type: 'ehr-write', draftId: 'd' }, { resourceType: 'MedicationRequest' })).toBe('ehr:write:MedicationRequest');
  });

  it('per-agent keys are a catalog family; own value wins once set, else the tenant-wide one', () => {
    expect(findSetting('ai.agentAutonomy.triage-bot')).toMatchObject({
      category: 'ai-behavior',
      ownerFunction: 'clinical',
      risk: { STAGING: 'HIGH', PRODUCTION: 'HIGH' },
    });
    expect(agentAutonomyKey('Not An Id')).toBeNull();
    expect(
      validateSettingValue('ai.agentAutonomy.triage-bot', { level: 'autonomous', allowedActions: ['ehr:write:Observation', 'create-task'] })
        .ok,
    ).toBe(true);
    expect(validateSettingValue('ai.agentAutonomy.triage-bot', { level: 'autonomous', allowedActions: ['rm -rf'] }).ok).toBe(false);
    expect(effectiveAutonomy({ value: 'own', version: 0 }, 'tenant')).toBe('tenant');
    expect(effectiveAutonomy({ value: 'own', version: 2 }, 'tenant')).toBe('own');
  });
});

describe('agent autonomy through the governed path (service, in-memory store)', () => {
  it('by default an agent proposal waits for a human, even where a person applies at once', async () => {
    const { svc } = service();
    expect((await updateSetting(svc, person('ops-1', ['ops-manager']), CHANNELS)).status).toBe('APPLIED');
    const r = await updateSetting(svc, agent('triage-bot'), { ...CHANNELS, value: ['sms'] });
    expect(r.status).toBe('PENDING_APPROVAL');
    expect(r.change.requirement).toMatchObject({ requiredApprovals: 1, ownerFunctionRequired: true });
  });

  it('after a governed change allowing one action, that agent does it alone; other actions and other agents still queue', async () => {
    const { svc } = service();
    await grantAutonomy(svc, 'triage-bot', ['setting:update:messaging.channels']);
    const alone = await updateSetting(svc, agent('triage-bot'), CHANNELS);
    expect(alone).toMatchObject({ status: 'APPLIED', version: 1 });
    expect((await updateSetting(svc, agent('triage-bot'), HOURS)).status).toBe('PENDING_APPROVAL');
    expect((await updateSetting(svc, agent('intake-bot'), { ...CHANNELS, value: ['sms'] })).status).toBe('PENDING_APPROVAL');
    // Only in the environment the autonomy was granted for.
    expect((await updateSetting(svc, agent('triage-bot'), { ...CHANNELS, environment: 'PRODUCTION' })).status).toBe('PENDING_APPROVAL');
  });

  it('an agent EHR write proposal applies alone only with ehr:write:<ResourceType> allowed', async () => {
    const { svc, effects } = service();
    const propose = (sub: string, n: number) =>
      proposeEhrWrite(
        svc,
        { ...agent(sub), roles: ['ai-agent'] },
        {
          environment: 'STAGING',
          draftId: `med-${n}`,
          draft: { medication: 'x', rxnorm: null, dosage: 'y' },
          value: { resourceType: 'MedicationRequest', patientId: 'p-1', promptTemplateVersion: null },
        },
      );
    expect((await propose('triage-bot', 1)).status).toBe('PENDING_APPROVAL');
    await grantAutonomy(svc, 'triage-bot', ['ehr:write:MedicationRequest']);
    const r = await propose('triage-bot', 2);
    expect(r.status).toBe('APPLIED');
    expect(effects).toEqual([`${r.change.id}:apply`]);
    expect((await propose('intake-bot', 3)).status).toBe('PENDING_APPROVAL');
  });

  it('explain says NEEDS_APPROVAL or ALLOW for the agent from the same decision', async () => {
    const { svc } = service();
    await grantAutonomy(svc, 'triage-bot', ['setting:update:messaging.channels']);
    const policy = defaultPolicy();
    const explain = async (sub: string, action: string) =>
      explainGoverned({
        action,
        principal: agent(sub),
        environment: 'STAGING',
        rules: DEFAULT_APPROVAL_RULES,
        functionsOf,
        policy,
        at: '2026-11-22T10:00:00Z',
        agentAutonomy: await agentAutonomyOf(svc, agent(sub), 'STAGING'),
      })!.decision;
    expect(await explain('triage-bot', 'setting:update:messaging.channels')).toBe('ALLOW');
    expect(await explain('triage-bot', 'setting:update:messaging.officeHours')).toBe('NEEDS_APPROVAL');
    expect(await explain('intake-bot', 'setting:update:messaging.channels')).toBe('NEEDS_APPROVAL');
  });
});
