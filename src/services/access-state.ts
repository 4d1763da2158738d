import type { Principal } from '../auth/principal.js';
import type { CompileOptions } from '../../rules/decide.js';
import { defaultPolicy, parsePolicyDocument, type PolicyDocument } from '../../rules/policy-document.js';
import { readAccessDoc, type AccessDoc } from '../governance/access-entries.js';
import { ACCESS_ENVIRONMENT, accessRequestPath } from '../governance/approval-path.js';
import type { ApprovalRules } from '../governance/approval-rules.js';
import { POLICY_DOC_ID } from '../governance/change-target.js';
import { storedAccessOf } from '../governance/stored-access-of.js';
import type { DocVersion, GovernanceStore } from '../stores/governance-store.js';
import type { UsageStore } from '../stores/usage-store.js';

// What the store says about access, read once per request: the tenant's policy in force and the caller's access
// document, cached briefly (CACHE_MS, on the injected clock) and dropped at once when this process changes them.
// Expiry is not the cache's business: the cached document is cut to the request's time by storedAccessOf, so a
// grant ends at its expiry to the millisecond. Another replica's change shows within CACHE_MS.

const CACHE_MS = 2_000;
/** A grant's use is written at most once a minute (access reviews need days, not seconds). */
const USAGE_EVERY_MS = 60_000;

export interface AccessStateDeps {
  readonly store: GovernanceStore;
  /** Where the last use of a grant is recorded (access reviews). */
  readonly usage: UsageStore;
  readonly rules: ApprovalRules;
  readonly now: () => number;
  readonly defaultPolicy?: PolicyDocument;
  readonly onError?: (error: unknown) => void;
}

export interface PolicyInForce {
  readonly policy: PolicyDocument;
  /** Version of the stored policy document (0: the built-in default). */
  readonly version: number;
}

const assignmentRef = (sub: string) => ({ environment: ACCESS_ENVIRONMENT, id: `assignment:${sub}` });
const policyRef = { environment: ACCESS_ENVIRONMENT, id: POLICY_DOC_ID };

/** The version of a document in force at `atMs`: the last one written at or before it (null: none yet). */
function versionAt(history: readonly DocVersion[], atMs: number): DocVersion | null {
  return [...history].reverse().find((v) => Date.parse(v.at) <= atMs) ?? null;
}

export class AccessState {
  private readonly cache = new Map<string, { at: number; value: Promise<unknown> }>();
  private readonly lastUsage = new Map<string, number>();
  private readonly parsed = new Map<string, PolicyDocument>();

  constructor(private readonly deps: AccessStateDeps) {}

  get fallbackPolicy(): PolicyDocument {
    return this.deps.defaultPolicy ?? defaultPolicy();
  }

  /** Drops what this process cached for a tenant (called after every access commit here). */
  invalidate(tenant: string): void {
    for (const k of this.cache.keys()) if (k.startsWith(`${tenant}\u0000`)) this.cache.delete(k);
  }

  policy(tenant: string): Promise<PolicyInForce> {
    return this.cached(tenant, 'policy', async () => this.toPolicy(await this.deps.store.getDoc(tenant, policyRef)));
  }

  accessDoc(tenant: string, sub: string): Promise<AccessDoc | null> {
    return this.cached(tenant, `assignment:${sub}`, async () => {
      const doc = await this.deps.store.getDoc(tenant, assignmentRef(sub));
      return doc ? readAccessDoc(sub, doc.value) : null;
    });
  }

  /** The policy and the principal's access as they were at `atMs` (explain(at:)), from the documents' histories. */
  async at(tenant: string, sub: string, atMs: number): Promise<{ policy: PolicyInForce; doc: AccessDoc | null }> {
    const [policies, docs] = await Promise.all([
      this.deps.store.history(tenant, policyRef),
      this.deps.store.history(tenant, assignmentRef(sub)),
    ]);
    const doc = versionAt(docs, atMs);
    return { policy: this.toPolicy(versionAt(policies, atMs)), doc: doc ? readAccessDoc(sub, doc.value) : null };
  }

  /** Everything createContext needs to compile the caller's policy at `nowMs`. */
  async forRequest(principal: Principal, nowMs: number): Promise<{ policy: PolicyDocument; options: CompileOptions }> {
    const [{ policy }, doc] = await Promise.all([this.policy(principal.tenant), this.accessDoc(principal.tenant, principal.sub)]);
    return { policy, options: this.compileOptions(policy, principal, doc, nowMs) };
  }

  compileOptions(policy: PolicyDocument, principal: Principal, doc: AccessDoc | null, nowMs: number, recordUsage = true): CompileOptions {
    return {
      stored: storedAccessOf(doc, nowMs),
      approvalPathOf: (want) => accessRequestPath(this.deps.rules, policy, want, principal.kind),
      ...(recordUsage ? { onGrantUsed: (id: string) => this.used(principal.tenant, id, nowMs) } : {}),
    };
  }

  private used(tenant: string, entryId: string, nowMs: number): void {
    const key = `${tenant}\u0000${entryId}`;
    if (nowMs - (this.lastUsage.get(key) ?? -Infinity) < USAGE_EVERY_MS) return;
    this.lastUsage.set(key, nowMs);
    // Fire and forget: usage is a hint for reviews, never worth failing or slowing a read.
    this.deps.usage.record(tenant, entryId, new Date(nowMs).toISOString()).catch((e: unknown) => this.deps.onError?.(e));
  }

  private toPolicy(doc: DocVersion | null): PolicyInForce {
    if (!doc) return { policy: this.fallbackPolicy, version: 0 };
    const key = `${doc.changeId ?? ""}:${doc.version}:${doc.at}`;
    let policy = this.parsed.get(key);
    if (!policy) this.parsed.set(key, (policy = parsePolicyDocument(doc.value)));
    return { policy, version: doc.version };
  }

  private cached<T>(tenant: string, what: string, load: () => Promise<T>): Promise<T> {
    const key = `${tenant}\u0000${what}`;
    const now = this.deps.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < CACHE_MS && now >= hit.at) return hit.value as Promise<T>;
    const value = load();
    this.cache.set(key, { at: now, value });
    value.catch(() => this.cache.delete(key));
    return value;
  }
}
