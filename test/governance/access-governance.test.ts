import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../rules/policy-document.js';
import { withEntry } from '../../src/governance/access-changes.js';
import { grantCheck } from '../../src/governance/access-approval.js';
import { emptyAccessDoc, type AccessDoc } from '../../src/governance/access-entries.js';
import { reviewItems } from '../../src/governance/access-review.js';
import type { ChangeRequest } from '../../src/governance/change-request.js';
import { approve, proposeChange } from '../../src/governance/transitions.js';
import { T0, at, functionsOf, ok, person, rules } from './support.js';

// Role assignments as governed changes of `assignment:<sub>` (pure domain): widening is HIGH and owned by
// security, narrowing applies at once, nobody widens or approves their own access, nobody grants what they do
// not hold or own, and agent proposals always wait for a human.

const policy = defaultPolicy();
const sec = person('sec-1', ['security-admin']);
const json = (d: AccessDoc) => d as never;
const grant = (doc: AccessDoc, over: Partial<Parameters<typeof withEntry>[1]> = {}) =>
  withEntry(doc, {
    id: 'chg-a',
    kind: 'role',
    name: 'clinician',
    departments: ['oncology'],
    environments: ['PRODUCTION'],
    expiresAt: null,
    reason: 'cover',
    ticket: null,
    source: 'assignment',
    now: T0,
    ...over,
  });

const assign = (sub: string, requester = sec, after = grant(emptyAccessDoc(sub)), before = emptyAccessDoc(sub)) =>
  proposeChange({
    id: 'chg-a',
    tenant: 'acme',
    environment: 'PRODUCTION',
    target: { type: 'assignment', sub },
    current: { value: json(before), version: 0 },
    newValue: after,
    requester,
    functionsOf,
    reason: 'r',
    now: T0,
    rules,
    policy,
  });

describe('every role and grant of the policy can be given by single-role people, and only named functions approve', () => {
  // A tester's finding: assigning security-admin needed security and technical, and no technical role holds audit:
  // the change could never be approved. For every role and grant, the change's approver functions are exactly the
  // functions that have a role whose single-role holder may approve it (security, and the others grantCheck lets
  // through), and two of them complete it.
  const opts = (now = at(5)) => ({
    now,
    currentVersion: 0,
    functionsOf,
    canGrant: (a: Parameters<typeof grantCheck>[2], ch: ChangeRequest) => grantCheck(policy, functionsOf, a, ch, now),
  });
  const wants = [
    ...Object.keys(policy.roles).map((name) => ({ kind: 'role' as const, name })),
    ...Object.keys(policy.grants).map((name) => ({ kind: 'grant' as const, name })),
  ];
  it.each(wants)('$kind $name', ({ kind, name }) => {
    const c = ok(assign('beneficiary', sec, grant(emptyAccessDoc('beneficiary'), { kind, name })));
    const able = Object.keys(policy.roles).filter((role) => approve(c, person(`a-${role}`, [role]), opts()).ok);
    const ableFunctions = [...new Set(able.map((r) => policy.roles[r]!.function))].sort();
    expect([...c.approverFunctions].sort()).toEqual(ableFunctions);
    const first = ok(approve(c, person('a-sec', ['security-admin']), opts()));
    const other = able.find((r) => policy.roles[r]!.function !== 'security')!;
    expect(ok(approve(first, person(`b-${other}`, [other]), opts())).status).toBe('APPLIED');
  });
});

it('CANNOT_GRANT_UNHELD names each class with the actions the change gives on it (credentials are written)', () => {
  const now = at(5);
  const c = ok(assign('beneficiary', sec, grant(emptyAccessDoc('beneficiary'), { name: 'system-admin', departments: null })));
  const opts = { now, currentVersion: 0, functionsOf, canGrant: (a: Parameters<typeof grantCheck>[2], ch: ChangeRequest) =>
    grantCheck(policy, functionsOf, a, ch, now) };
  const r = approve(c, person('eng-2', ['integration-engineer']), opts);
  expect(r).toMatchObject({ ok: false, error: { reason: 'CANNOT_GRANT_UNHELD' } });
  expect(!r.ok && r.error.message).toBe('you cannot grant what you do not hold or own: write of credentials');
});

describe('assignments as governed changes', () => {
  it('widening: HIGH in production, security owns it, the role\'s function approves too', () => {
    const c = ok(assign('dr-grey'));
    expect(c).toMatchObject({
      status: 'PENDING',
      category: 'access',
      ownerFunction: 'security',
      risk: 'HIGH',
      requirement: { requiredApprovals: 2, mfaRequired: true },
    });
    // Technical is an approver function of access, but no technical role holds or owns what a clinician reads.
    expect(c.approverFunctions).toEqual(['security', 'clinical']);
  });

  it('narrowing applies at once', () => {
    const before = grant(emptyAccessDoc('dr-grey'));
    const after: AccessDoc = {
      ...before,
      entries: before.entries.map((e) => ({ ...e, revoked: { by: 'sec-1', at: T0, reason: 'left' } })),
    };
    expect(ok(assign('dr-grey', sec, after, before))).toMatchObject({ status: 'APPLIED', risk: 'LOW' });
  });

  it('only security assigns; nobody assigns themselves', () => {
    expect(assign('dr-grey', person('ca', ['clinical-admin']))).toMatchObject({ ok: false, error: { reason: 'NOT_AN_EDITOR' } });
    expect(assign('sec-1', sec)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'SELF_ASSIGNMENT' } });
  });

  it('the beneficiary never approves, and an approver must hold or own what is granted', () => {
    const c = ok(assign('ca-1'));
    const opts = {
      now: at(5),
      currentVersion: 0,
      functionsOf,
      canGrant: (a: Parameters<typeof grantCheck>[2], ch: ChangeRequest) => grantCheck(policy, functionsOf, a, ch, at(5)),
    };
    expect(approve(c, person('ca-1', ['clinical-admin']), opts)).toMatchObject({ ok: false, error: { reason: 'SELF_BENEFIT' } });
    expect(approve(c, person('sys-1', ['system-admin']), opts)).toMatchObject({ ok: false, error: { reason: 'NOT_AN_APPROVER' } });
    const once = ok(approve(c, person('sec-2', ['security-admin']), opts));
    // A clinical-admin owns the clinical classes but not demographics: a senior clinician holds all of it.
    expect(approve(once, person('ca-2', ['clinical-admin']), opts)).toMatchObject({ ok: false, error: { reason: 'CANNOT_GRANT_UNHELD' } });
    expect(ok(approve(once, person('dr-senior', ['clinician']), opts)).status).toBe('APPLIED');
  });

  it('an access request is for oneself only, time-limited, and never approved by its requester', () => {
    const me = person('dr-grey', ['clinician']);
    const after = grant(emptyAccessDoc('dr-grey'), { source: 'access-request', expiresAt: at(60) });
    const propose = (requester = me, value = after) =>
      proposeChange({
        id: 'chg-r',
        tenant: 'acme',
        environment: 'PRODUCTION',
        target: { type: 'access-request', sub: 'dr-grey' },
        current: { value: json(emptyAccessDoc('dr-grey')), version: 0 },
        newValue: value,
        requester,
        functionsOf,
        reason: 'on call',
        now: T0,
        rules,
        policy,
        origin: { type: 'access-request' },
      });
    expect(propose(person('dr-other', ['clinician']))).toMatchObject({ ok: false, error: { reason: 'NOT_REQUESTER' } });
    expect(propose(me, grant(emptyAccessDoc('dr-grey'), { source: 'access-request' }))).toMatchObject({
      ok: false,
      error: { reason: 'INVALID_INPUT' },
    });
    const c = ok(propose());
    expect(approve(c, { ...me, roles: ['clinician', 'security-admin'] }, { now: at(1), currentVersion: 0, functionsOf })).toMatchObject({
      ok: false,
      error: { reason: 'SELF_APPROVAL' },
    });
  });

  it('an agent\'s proposal always waits for a human, even where a person\'s would apply at once', () => {
    const agent = person('agent-1', ['ai-agent'], { kind: 'agent' });
    const c = ok(
      proposeChange({
        id: 'chg-g',
        tenant: 'acme',
        environment: 'STAGING',
        target: { type: 'setting', key: 'messaging.officeHours' },
        current: { value: null, version: 0 },
        newValue: { timezone: 'UTC', weekly: [] },
        requester: { ...agent, roles: ['ops-manager'] },
        functionsOf,
        reason: 'r',
        now: T0,
        rules,
      }),
    );
    expect(c).toMatchObject({ status: 'PENDING', requirement: { requiredApprovals: 1, ownerFunctionRequired: true } });
    expect(approve(c, { ...agent, sub: 'agent-2', roles: ['ops-manager'] }, { now: at(1), currentVersion: 0, functionsOf })).toMatchObject({
      ok: false,
      error: { reason: 'NOT_AN_APPROVER' },
    });
  });
});

describe('access review', () => {
  it('lists stale grants, grants past their department and unreviewed break-glass', () => {
    let doc = grant(emptyAccessDoc('dr-grey'), { id: 'std', departments: ['cardiology'] });
    doc = grant(doc, { id: 'old', source: 'access-request', departments: ['oncology'], expiresAt: at(60 * 24 * 365) });
    doc = {
      ...doc,
      entries: [
        ...doc.entries,
        {
          ...doc.entries[0]!,
          id: 'bg',
          kind: 'break-glass',
          name: 'break-glass',
          patientId: 'p',
          source: 'break-glass',
          expiresAt: at(60),
        },
      ],
    };
    const items = reviewItems([doc], (id) => (id === 'std' ? at(60 * 24 * 100) : null), at(60 * 24 * 100), 90);
    expect(items.map((i) => [i.entry.id, i.flags])).toEqual([['old', ['STALE', 'PAST_DEPARTMENT']], ['bg', ['BREAK_GLASS']]]);
  });
});
