import type { Principal } from '../../src/auth/principal.js';
import { DEFAULT_APPROVAL_RULES } from '../../src/governance/approval-rules.js';
import type { ChangeRequest } from '../../src/governance/change-request.js';
import { functionsFromPolicy } from '../../src/governance/functions.js';
import { proposeChange, type ProposeChangeInput } from '../../src/governance/transitions.js';
import type { TransitionResult } from '../../src/governance/transition-result.js';
import { defaultPolicy } from '../../rules/policy-document.js';

export const functionsOf = functionsFromPolicy(defaultPolicy());
export const rules = DEFAULT_APPROVAL_RULES;
export const T0 = '2026-03-01T10:00:00.000Z';
export const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

export const person = (sub: string, roles: string[], over: Partial<Principal> = {}): Principal => ({
  sub, tenant: 'acme', kind: 'user', roles, departments: [], mfa: true, scopes: null, grants: [], ...over,
});

export const engineer = (sub = 'eng-1', over: Partial<Principal> = {}) => person(sub, ['integration-engineer'], over);
export const securityAdmin = (sub = 'sec-1', over: Partial<Principal> = {}) => person(sub, ['security-admin'], over);
export const clinicalAdmin = (sub = 'clin-1', over: Partial<Principal> = {}) => person(sub, ['clinical-admin'], over);

export const WRITE_BACK = 'integration.ehr.writeBackEnabled';

/** A MEDIUM change in staging (applies at once there): the EHR connector's base URL. */
export const STAGING_MEDIUM = {
  environment: 'STAGING',
  target: { type: 'setting', key: 'integration.ehr.baseUrl' },
  current: { value: null, version: 3 },
  newValue: 'https://fhir.example.org/r4',
} as const satisfies Partial<ProposeChangeInput>;

export function proposal(over: Partial<ProposeChangeInput> = {}): ProposeChangeInput {
  return {
    id: 'chg-1',
    tenant: 'acme',
    environment: 'PRODUCTION',
    target: { type: 'setting', key: WRITE_BACK },
    current: { value: false, version: 3 },
    newValue: true,
    requester: engineer(),
    functionsOf,
    reason: 'Go-live of visit summaries',
    ticket: 'CHG-42',
    now: T0,
    rules,
    ...over,
  };
}

/** The change of a successful transition; fails the test otherwise. */
export function ok(result: TransitionResult): ChangeRequest {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.reason}: ${result.error.message}`);
  return result.next;
}

export function pending(over: Partial<ProposeChangeInput> = {}): ChangeRequest {
  const c = ok(proposeChange(proposal(over)));
  if (c.status !== 'PENDING') throw new Error(`expected PENDING, got ${c.status}`);
  return c;
}

export const approveOpts = (minutes = 5, currentVersion = 3) => ({ now: at(minutes), currentVersion, functionsOf });
