import type { Principal } from '../auth/principal.js';
import type { CompileOptions } from '../../rules/decide.js';
import { governanceUnchanged, type PolicyDocument } from '../../rules/policy-document.js';
import { POLICY_DOC_ID } from '../governance/change-target.js';
import { readAccessDoc, emptyAccessDoc, type AccessDoc } from '../governance/access-entries.js';
import { isTransitionError, openBreakGlass, recordReview, revokeEntries, withEntry } from '../governance/access-changes.js';
import { reviewItems, type ReviewItem } from '../governance/access-review.js';
import { assigneeProblem, permissionGrant } from '../governance/access-target.js';
import { ACCESS_ENVIRONMENT } from '../governance/approval-path.js';
import type { ChangeRequest } from '../governance/change-request.js';
import type { Environment } from '../governance/environment.js';
import type { JsonValue } from '../governance/json.js';
import type { TransitionError } from '../governance/transition-result.js';
import type { GovernanceStore } from '../stores/governance-store.js';
import type { UsageStore } from '../stores/usage-store.js';
import { effectsToOps } from './governance/effects-to-ops.js';
import type { AccessState } from './access-state.js';
import { GovernanceError } from '../errors/governance-error.js';
import type { GovernanceDeps, ProposalOutcome } from './governance/deps.js';
import { proposeAccess } from './governance/access-proposals.js';
import { listChangeRequests } from './governance/reads.js';

// Role assignments, access requests, break-glass and access reviews, with I/O. Widening goes through the governed
// path (proposeAccess in governance/access-proposals.ts: approvals, compare-and-set, audit); break-glass and review
// decisions are immediate, committed with their audit record in one step like an emergency stop.

export interface AccessServiceDeps {
  readonly store: GovernanceStore;
  readonly usage: UsageStore;
  readonly governance: GovernanceDeps;
  readonly state: AccessState;
  readonly now: () => number;
  readonly newId: () => string;
}

export interface AssignInput {
  readonly sub: string;
  readonly role: string;
  readonly departments?: readonly string[] | null;
  readonly environments?: readonly Environment[] | null;
  readonly expiresAt?: string | null;
  readonly reason: string;
  readonly ticket?: string | null;
}

export interface RequestInput {
  readonly role?: string | null;
  readonly grant?: string | null;
  /** `read:<dataClass>`: resolved to the policy grant that carries it, else to the roles that do (BAD_USER_INPUT). */
  readonly permission?: string | null;
  readonly departments?: readonly string[] | null;
  readonly justification: string;
  readonly ticket?: string | null;
  readonly durationMinutes: number;
}

const MAX_REQUEST_MINUTES = 30 * 24 * 60;
const ENVS: readonly Environment[] = ['STAGING', 'PRODUCTION'];
/** A request made by `permission:` names that input wherever the grant it stands for is at fault. */
const ASKED_BY_PERMISSION = { role: 'permission', grant: 'permission', requestedGrant: 'permission' };

const bad = (path: string, message: string) =>
  new GovernanceError({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT', message: `${path}: ${message}`, problems: [{ path, message }] });

/** An `assignee` argument, vetted (access-target.ts assigneeProblem) by every operation that names one. */
function vetted(sub: string): string {
  const problem = assigneeProblem(sub);
  if (problem) throw bad('assignee', problem);
  return sub;
}

/**
 * A department code as tokens carry them and `patients(department:)` accepts them (`cardiology`, `primary-care`):
 * rows name their departments by it (`Organization/dept-<code>`). Neither the policy nor the configuration lists a
 * tenant's departments (they are the EHR's), so a well-formed code nobody uses cannot be told apart here; anything
 * else (a path, blanks, capitals, an empty string) would never match a row and is refused.
 */
const DEPARTMENT_CODE = /^[a-z][a-z0-9-]{0,39}$/;
const MAX_DEPARTMENTS = 20;

/**
 * The departments an entry is scoped to, checked: null (also for an empty list) is the token's departments. Refused
 * as a whole (BAD_USER_INPUT, reason INVALID_DEPARTMENT, one problem per bad item) before anything is proposed, so an
 * approver never sees, and the store never keeps, a scope that matches no row.
 */
function scopeDepartments(departments: readonly string[] | null | undefined): string[] | null {
  if (!departments?.length) return null;
  const problems: { path: string; message: string }[] = [];
  if (departments.length > MAX_DEPARTMENTS) problems.push({ path: 'scopeDepartments', message: `at most ${MAX_DEPARTMENTS} departments` });
  departments.forEach((d, i) => {
    const path = `scopeDepartments[${i}]`;
    if (!DEPARTMENT_CODE.test(d)) problems.push({ path, message: 'is not a department code (a-z, 0-9 and -, at most 40)' });
    else if (departments.indexOf(d) !== i) problems.push({ path, message: `names "${d}" twice` });
  });
  if (problems.length === 0) return [...departments];
  const message = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  throw new GovernanceError({ code: 'BAD_USER_INPUT', reason: 'INVALID_DEPARTMENT', message, problems });
}

export class AccessService {
  constructor(private readonly deps: AccessServiceDeps) {}

  async assignRole(principal: Principal, input: AssignInput): Promise<ProposalOutcome> {
    vetted(input.sub);
    const departments = scopeDepartments(input.departments);
    const expiresAt = input.expiresAt ?? null;
    if (expiresAt !== null && !(Date.parse(expiresAt) > this.deps.now())) throw bad('expiresAt', 'must be in the future');
    const [target, why] = [
      { type: 'assignment' as const, sub: input.sub },
      { reason: input.reason, ticket: input.ticket ?? null, endsAt: expiresAt === null ? null : Date.parse(expiresAt) },
    ];
    return this.done(
      principal,
      proposeAccess(this.deps.governance, principal, target, why, (current, id, now) =>
        json(
          withEntry(this.read(input.sub, current), {
            id,
            kind: 'role',
            name: input.role,
            departments,
            environments: input.environments?.length ? input.environments : ENVS,
            expiresAt,
            reason: input.reason,
            ticket: input.ticket ?? null,
            source: 'assignment',
            now,
          }),
        ),
      ),
      { role: 'assignedRole', 'value.sub': 'assignee', sub: 'assignee' },
    );
  }

  async revokeRole(
    principal: Principal,
    input: { sub: string; role?: string | null; entryId?: string | null; reason: string },
  ): Promise<ProposalOutcome> {
    // An assignee no assignment can name is refused as such, not echoed as "holds none".
    const target = { type: 'assignment' as const, sub: vetted(input.sub) };
    return this.done(
      principal,
      proposeAccess(this.deps.governance, principal, target, { reason: input.reason }, (current, _id, now) =>
        json(orThrow(revokeEntries(this.read(input.sub, current), input, principal.sub, input.reason, now))),
      ),
    );
  }

  async requestAccess(principal: Principal, input: RequestInput): Promise<ProposalOutcome> {
    const policy = (await this.deps.state.policy(principal.tenant)).policy;
    const want = resolveWant(policy, input, principal.kind);
    const departments = scopeDepartments(input.departments);
    const minutes = input.durationMinutes;
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_REQUEST_MINUTES)
      throw bad('durationMinutes', `must be between 1 and ${MAX_REQUEST_MINUTES}`);
    const justification = input.justification.trim();
    if (!justification) throw bad('justification', 'is required');
    const target = { type: 'access-request' as const, sub: principal.sub };
    const why = { reason: justification, ticket: input.ticket ?? null, origin: { type: 'access-request' as const } };
    return this.done(
      principal,
      proposeAccess(this.deps.governance, principal, target, why, (current, id, now) =>
        // The minutes asked for count from the approval that applies it (access-changes.ts accessChangeAtApply).
        json(
          withEntry(this.read(principal.sub, current), {
            id,
            kind: want.kind,
            name: want.name,
            departments,
            environments: ['PRODUCTION'],
            expiresAt: now + minutes * 60_000,
            reason: justification,
            ticket: input.ticket ?? null,
            source: 'access-request',
            now,
          }),
        ),
      ),
      input.permission ? ASKED_BY_PERMISSION : { role: 'requestedRole', grant: 'requestedGrant' },
    );
  }

  /** The caller's own access requests, any status (expired, rejected and denied ones stay queryable). */
  async myAccessRequests(principal: Principal): Promise<ChangeRequest[]> {
    const changes = await listChangeRequests(this.deps.governance, principal, { category: 'access' }, 500);
    return changes.filter((c) => c.target.type === 'access-request' && c.target.sub === principal.sub);
  }

  async breakGlass(principal: Principal, patientId: string, reason: string): Promise<AccessDoc> {
    const policy = (await this.deps.state.policy(principal.tenant)).policy;
    return this.direct(
      principal,
      principal.sub,
      'access.break-glass',
      (doc, id, now) => openBreakGlass(doc, policy, { id, principal, patientId, reason, now }),
      { patientId },
    );
  }

  async completeReview(
    principal: Principal,
    input: { sub: string; entryId: string; decision: 'KEEP' | 'REVOKE'; comment?: string | null },
  ): Promise<AccessDoc> {
    return this.direct(
      principal,
      vetted(input.sub),
      'access.reviewed',
      (doc, _id, now) => recordReview(doc, input.entryId, principal, input.decision, input.comment ?? null, now),
      {
        entryId: input.entryId,
        decision: input.decision,
      },
    );
  }

  async accessReview(principal: Principal, staleDays: number): Promise<ReviewItem[]> {
    if (!Number.isInteger(staleDays) || staleDays < 0) throw bad('staleDays', 'must be a whole number of days, 0 or more');
    const [docs, usage] = await Promise.all([
      this.deps.store.listDocs(principal.tenant, ACCESS_ENVIRONMENT, 'assignment:'),
      this.deps.usage.lastUses(principal.tenant),
    ]);
    const access = docs.map((d) => readAccessDoc(d.ref.id.slice('assignment:'.length), d.value));
    return reviewItems(access, (id) => usage[id] ?? null, this.deps.now(), staleDays);
  }

  /** accessOf for an `assignee` argument (the caller's own sub comes from the verified token). */
  async accessOfAssignee(tenant: string, sub: string): Promise<AccessDoc> {
    return this.accessOf(tenant, vetted(sub));
  }

  async accessOf(tenant: string, sub: string): Promise<AccessDoc> {
    return (
      (await this.deps.store
        .getDoc(tenant, { environment: ACCESS_ENVIRONMENT, id: `assignment:${sub}` })
        .then((d) => (d ? readAccessDoc(sub, d.value) : null))) ?? emptyAccessDoc(sub)
    );
  }

  async proposePolicy(
    principal: Principal,
    input: { document: unknown; reason: string; ticket?: string | null },
  ): Promise<ProposalOutcome> {
    if (!governanceUnchanged(input.document))
      throw bad('document.governance', "is the gateway's (approvals and stops), not a tenant's: send it unchanged or leave it out");
    return this.done(
      principal,
      proposeAccess(
        this.deps.governance,
        principal,
        { type: 'policy' },
        { reason: input.reason, ticket: input.ticket ?? null },
        () => input.document as JsonValue,
      ),
    );
  }

  now(): number {
    return this.deps.now();
  }

  async policyInForce(tenant: string): Promise<PolicyDocument> {
    return (await this.deps.state.policy(tenant)).policy;
  }

  /** The policy and the principal's stored access in force at `atMs`, ready to compile (explain(at:)). */
  async accessAt(token: Principal, atMs: number): Promise<{ policy: PolicyDocument; options: CompileOptions }> {
    const then = await this.deps.state.at(token.tenant, token.sub, atMs);
    return { policy: then.policy.policy, options: this.deps.state.compileOptions(then.policy.policy, token, then.doc, atMs, false) };
  }

  /** Every stored version of the tenant's policy (version 0, the built-in default, first). */
  async policyHistory(
    tenant: string,
  ): Promise<{ version: number; value: JsonValue; changedBy: string | null; changeId: string | null; at: string | null }[]> {
    const stored = await this.deps.store.history(tenant, { environment: ACCESS_ENVIRONMENT, id: POLICY_DOC_ID });
    return [
      { version: 0, value: this.deps.state.fallbackPolicy as unknown as JsonValue, changedBy: null, changeId: null, at: null },
      ...stored.map((d) => ({ version: d.version, value: d.value, changedBy: d.changedBy, changeId: d.changeId, at: d.at })),
    ];
  }

  private read(sub: string, value: JsonValue | null): AccessDoc {
    return value === null ? emptyAccessDoc(sub) : readAccessDoc(sub, value);
  }

  /**
   * The outcome of a proposal; a refused input names the fields the caller sent (`names`: the access document's `role`
   * is `assignedRole` to assignRole, `requestedRole` to requestAccess), not the stored document's.
   */
  private async done(
    principal: Principal,
    outcome: Promise<ProposalOutcome>,
    names: Readonly<Record<string, string>> = {},
  ): Promise<ProposalOutcome> {
    try {
      return await outcome;
    } catch (e) {
      const problems = e instanceof GovernanceError && e.extensions.code === 'BAD_USER_INPUT' ? e.extensions.problems : undefined;
      if (!problems?.some((p) => names[p.path])) throw e;
      const renamed = problems.map((p) => ({ ...p, path: names[p.path] ?? p.path }));
      const message = renamed.map((p) => `${p.path}: ${p.message}`).join('; ');
      throw new GovernanceError({ code: 'BAD_USER_INPUT', reason: (e as GovernanceError).extensions.reason, message, problems: renamed });
    } finally {
      this.deps.state.invalidate(principal.tenant);
    }
  }

  /** An immediate change of an access document, committed with its audit record (retried on a lost race). */
  private async direct(
    principal: Principal,
    sub: string,
    action: 'access.break-glass' | 'access.reviewed',
    build: (doc: AccessDoc, id: string, now: number) => AccessDoc | TransitionError,
    detail: Record<string, JsonValue>,
  ): Promise<AccessDoc> {
    const ref = { environment: ACCESS_ENVIRONMENT, id: `assignment:${sub}` };
    for (let attempt = 0; attempt < 50; attempt++) {
      const stored = await this.deps.store.getDoc(principal.tenant, ref);
      const now = this.deps.now();
      const id = this.deps.newId();
      const next = orThrow(build(this.read(sub, stored?.value ?? null), id, now));
      const at = new Date(now).toISOString();
      const reason =
        typeof next.entries.at(-1)?.reason === 'string' && action === 'access.break-glass' ? next.entries.at(-1)!.reason : null;
      const audit = {
        type: 'audit' as const,
        action,
        changeId: null,
        tenant: principal.tenant,
        environment: ACCESS_ENVIRONMENT,
        actor: principal.sub,
        acting: { kind: principal.kind, roles: [...principal.roles] },
        at,
        detail: { ...detail, docId: ref.id, entryId: action === 'access.break-glass' ? id : (detail.entryId ?? null), reason },
      };
      const ops = [
        {
          type: 'put-doc' as const,
          doc: { ref, version: (stored?.version ?? 0) + 1, value: json(next), changedBy: principal.sub, changeId: null, at, reason },
        },
        ...effectsToOps([audit], null, at),
      ];
      if ((await this.deps.store.commit(principal.tenant, ops)).ok) {
        this.deps.state.invalidate(principal.tenant);
        return next;
      }
    }
    throw new GovernanceError({ code: 'CONFLICT', reason: 'NOT_OPEN', message: 'too many concurrent changes of this access; retry' });
  }
}

function resolveWant(policy: PolicyDocument, input: RequestInput, kind: Principal['kind']): { kind: 'role' | 'grant'; name: string } {
  const given = [input.role, input.grant, input.permission].filter((v) => v);
  if (given.length !== 1) throw bad('requestedRole', 'give exactly one of requestedRole, requestedGrant or permission');
  if (input.role) return { kind: 'role', name: input.role };
  if (input.grant) return { kind: 'grant', name: input.grant };
  const carried = permissionGrant(policy, String(input.permission), kind);
  if ('problem' in carried) throw bad('permission', carried.problem);
  return { kind: 'grant', name: carried.grant };
}

function orThrow<T extends object>(v: T | TransitionError): T {
  if ('code' in v && 'reason' in v && isTransitionError(v as never)) throw new GovernanceError(v as TransitionError);
  return v as T;
}

const json = (v: unknown) => v as JsonValue;
