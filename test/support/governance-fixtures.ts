import { randomUUID } from 'node:crypto';
import { defaultPolicy } from '../../rules/policy-document.js';
import type { Principal } from '../../src/auth/principal.js';
import { withEntry } from '../../src/governance/access-changes.js';
import type { AccessDoc } from '../../src/governance/access-entries.js';
import { DEFAULT_APPROVAL_RULES } from '../../src/governance/approval-rules.js';
import { functionsFromPolicy } from '../../src/governance/functions.js';
import type { GovernanceStore } from '../../src/stores/governance-store.js';
import type { GovernanceDeps } from '../../src/services/governance/deps.js';
import { KeyedLock } from '../../src/services/governance/keyed-lock.js';

export const person = (sub: string, roles: string[], mfa = true, tenant = 'acme'): Principal => ({
  sub, tenant, kind: 'user', roles, departments: [], mfa, scopes: null, grants: [],
});

export function governanceOn(store: GovernanceStore, over: Partial<GovernanceDeps> = {}): GovernanceDeps {
  return {
    store,
    rules: DEFAULT_APPROVAL_RULES,
    functionsOf: functionsFromPolicy(defaultPolicy()),
    now: () => Date.now(),
    newId: () => randomUUID(),
    locks: new KeyedLock(),
    ...over,
  };
}

type EntryInput = Parameters<typeof withEntry>[1];

/** An access document with one more entry: a standing production assignment in every department, unless `over` says. */
export const withTestEntry = (doc: AccessDoc, over: Pick<EntryInput, 'id' | 'name' | 'now'> & Partial<EntryInput>): AccessDoc =>
  withEntry(doc, {
    kind: 'role',
    departments: null,
    environments: ['PRODUCTION'],
    expiresAt: null,
    reason: 'r',
    ticket: null,
    source: 'assignment',
    ...over,
  });
