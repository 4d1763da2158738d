import { describe, expect, it } from 'vitest';
import { compilePrincipalPolicy } from '../../rules/decide.js';
import { defaultPolicy } from '../../rules/policy-document.js';
import type { Principal } from '../../src/auth/principal.js';
import { withEntry, openBreakGlass } from '../../src/governance/access-changes.js';
import { emptyAccessDoc, type AccessDoc } from '../../src/governance/access-entries.js';
import { storedAccessOf } from '../../src/governance/stored-access-of.js';

// rules/decide.ts with what the store says: which wins (token vs standing assignments), time-limited grants ending
// at their expiry to the millisecond, break-glass for one patient.

const policy = defaultPolicy();
const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const grey: Principal = { sub: 'dr-grey', tenant: 'acme', kind: 'user', roles: ['clinician'], departments: ['cardiology'], mfa: false, scopes: null, grants: [] };
const row = (departments: string[], patientId = 'p-1') => ({ tenant: 'acme', departments, patientId });
const read = (dataClass: string) => ({ action: 'read' as const, dataClass });
const compile = (doc: AccessDoc | null, at: number, used?: string[]) =>
  compilePrincipalPolicy(policy, grey, { stored: storedAccessOf(doc, at), ...(used ? { onGrantUsed: (id: string) => void used.push(id) } : {}) });

const entry = (doc: AccessDoc, over: Partial<Parameters<typeof withEntry>[1]>) =>
  withEntry(doc, { id: 'g-1', kind: 'role', name: 'clinician', departments: null, environments: ['PRODUCTION'], expiresAt: null, reason: 'r', ticket: null, source: 'assignment', now: T0, ...over });

describe('which wins: token roles and stored assignments', () => {
  it('no stored assignment: the token decides', () => {
    expect(compile(null, T0).decide(read('clinical'), row(['cardiology'])).effect).toBe('ALLOW');
  });

  it('standing assignments are intersected with the token: a revoked or never-assigned role counts for nothing', () => {
    const nurseOnly = entry(emptyAccessDoc('dr-grey'), { name: 'nurse' });
    const a = compile(nurseOnly, T0);
    expect(a.principal.roles).toEqual([]);
    expect(a.decide(read('demographics')).effect).toBe('DENY');
    const both = entry(nurseOnly, { id: 'g-2', name: 'clinician', departments: ['cardiology', 'oncology'] });
    const b = compile(both, T0);
    expect(b.principal.roles).toEqual(['clinician']);
    // Stored departments narrow the token's, never widen them.
    expect(b.principal.departments).toEqual(['cardiology']);
    expect(b.decide(read('clinical'), row(['oncology'])).effect).toBe('DENY');
  });

  it('a time-limited grant is added on top and ends at its expiry to the millisecond', () => {
    const doc = entry(emptyAccessDoc('dr-grey'), { source: 'access-request', departments: ['oncology'], expiresAt: T0 + 60_000 });
    const used: string[] = [];
    expect(compile(doc, T0 + 59_999, used).decide(read('clinical'), row(['oncology']))).toMatchObject({ effect: 'ALLOW', via: 'access:g-1' });
    expect(used).toEqual(['g-1']);
    expect(compile(doc, T0 + 60_000).decide(read('clinical'), row(['oncology']))).toMatchObject({ effect: 'DENY', denial: { failedScope: 'department' } });
    // Own departments still come from the token, not from the grant.
    expect(compile(doc, T0).decide(read('clinical'), row(['cardiology'])).effect).toBe('ALLOW');
  });
});

describe('break-glass', () => {
  it('opens the one patient for the permissions already held, records it, and ends', () => {
    const doc = openBreakGlass(emptyAccessDoc('dr-grey'), policy, { id: 'bg-1', principal: grey, patientId: 'p-onc', reason: 'Unconscious in the ED', now: T0 });
    if ('code' in doc) throw new Error(doc.message);
    const p = compile(doc, T0 + 1_000);
    expect(p.decide(read('notes'), row(['oncology'], 'p-onc'))).toMatchObject({ effect: 'ALLOW', via: 'break-glass:bg-1' });
    expect(p.decide(read('notes'), row(['oncology'], 'p-other')).effect).toBe('DENY');
    expect(p.decide(read('financial'), row(['oncology'], 'p-onc')).effect).toBe('DENY');
    // In-department reads are not break-glass reads.
    expect(p.decide(read('notes'), row(['cardiology'], 'p-card')).effect).toBe('ALLOW');
    expect([...p.breakGlassUsed]).toEqual(['p-onc']);
    expect(compile(doc, T0 + 60 * 60_000).decide(read('notes'), row(['oncology'], 'p-onc')).effect).toBe('DENY');
  });

  it('is only for the roles the policy names, with a reason', () => {
    const nurse = { ...grey, roles: ['nurse'] };
    expect(openBreakGlass(emptyAccessDoc('x'), policy, { id: 'b', principal: nurse, patientId: 'p', reason: 'Patient collapsed', now: T0 })).toMatchObject({ reason: 'NOT_ELIGIBLE' });
    expect(openBreakGlass(emptyAccessDoc('x'), policy, { id: 'b', principal: grey, patientId: 'p', reason: 'x', now: T0 })).toMatchObject({ reason: 'REASON_REQUIRED' });
  });
});

describe('denials carry the approval path and a ready requestAccess', () => {
  it('department: this role, for the row\'s departments, with the path the governance layer states', () => {
    const path = { environment: 'PRODUCTION', risk: 'HIGH', requiredApprovals: 2, approverFunctions: ['security', 'clinical'], distinctFunctions: true, ownerFunctionRequired: true, requiredFunction: null, mfaRequired: true, summary: 's' };
    const p = compilePrincipalPolicy(policy, grey, { approvalPathOf: () => path });
    const d = p.decide(read('clinical'), row(['oncology']));
    expect(d).toMatchObject({ effect: 'DENY', denial: { approvalPath: path, requestAccess: { requestedRole: 'clinician', scopeDepartments: ['oncology'] } } });
    // Another tenant can never be requested.
    expect(p.decide(read('clinical'), { tenant: 'globex', departments: ['cardiology'] })).toMatchObject({ denial: { failedScope: 'tenant', approvalPath: null, requestAccess: null } });
  });
});
