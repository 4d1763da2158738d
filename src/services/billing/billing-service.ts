import type { Invoice } from '@medplum/fhirtypes';
import { ConnectorError } from '../../../connectors/common/connector-error.js';
import { refundableOn } from '../../../connectors/billing/refund-resource.js';
import type { FhirWriter, WriteTarget } from '../../../connectors/ehr/write/fhir-writer.js';
import type { Principal } from '../../auth/principal.js';
import { BadUserInputError, ConflictError } from '../../errors/errors.js';
import type { ChangeRequest } from '../../governance/change-request.js';
import type { Environment } from '../../governance/environment.js';
import { refundInputProblem, refundRoute, type RefundRoute, type RefundState, type RefundValue } from '../../governance/refund-target.js';
import type { CommitOp, GovernanceStore } from '../../stores/governance-store.js';
import type { LeaseStore } from '../../stores/lease-store.js';
import { isFhirId } from '../../../spec/fhir-id.js';
import type { GovernanceDeps } from '../governance/deps.js';
import { currentSetting } from '../governance/reads.js';
import { proposeRefund } from '../governance/ehr-write-proposals.js';
import { openProposalCapRefusal } from '../governance/propose.js';
import { assertEhrRunning } from '../ehr-stop-guard.js';

// Refunds with I/O: reads the invoice from the tenant's FHIR server and the governed `billing.refundThreshold` of
// the gateway's environment, checks the amount against what is left on the invoice, and proposes the refund as a
// governed change (src/governance/refund-target.ts decides whether it waits). Who may refund was decided before
// (rules/decide.ts: `write` on `financial` for the invoice's patient).
//
// A threshold cannot be split (issue 13): refunds of one patient run one at a time across replicas (a lease in the
// store on the patient, so also one at a time per invoice), and inside it the invoice is read again, and what was
// refunded without approval within `billing.refundWindowHours` on the invoice and for the patient (two ledgers in
// the store, written in the same commit as the change) counts toward the threshold. The lease is held until the
// refund is recorded on the FHIR Invoice (the outbox runs inline), so the next refund sees what is left.
//
// While `connector:ehr` is stopped a refund that would apply at once is refused (CONFLICT STOPPED, nothing proposed,
// counted or written); one above the threshold still queues for finance, and its approved write waits in the outbox
// (refund-effect.ts). `automation:billing` does not stop a person's refund: it stops the automation's runs.

export interface BillingDeps {
  readonly governance: GovernanceDeps;
  readonly writer: FhirWriter;
  readonly environment: Environment;
  readonly baseUrlFor: (tenant: string) => Promise<string | null>;
  readonly newId: () => string;
  readonly store: GovernanceStore;
  readonly leases: LeaseStore;
  readonly now: () => number;
  /** How long to wait for another refund of the same patient before CONFLICT BUSY (attempts of ~25 ms). */
  readonly leaseAttempts?: number;
}

export interface RefundOutcome {
  readonly change: ChangeRequest;
  readonly value: RefundValue;
}

const LEASE_TTL_MS = 60_000;
const HOUR_MS = 3_600_000;
/** The two refund ledgers a refund counts in: its invoice's and its patient's, per currency. */
const ledgersOf = (invoiceId: string, patientId: string, currency: string) =>
  [`refund:invoice:${invoiceId}:${currency}`, `refund:patient:${patientId}:${currency}`] as const;

export class BillingService {
  constructor(private readonly deps: BillingDeps) {}

  get environment(): Environment {
    return this.deps.environment;
  }

  async target(tenant: string): Promise<WriteTarget> {
    const baseUrl = await this.deps.baseUrlFor(tenant);
    if (!baseUrl) throw new ConnectorError('ehr', 'REJECTED', null, 'ehr: no FHIR base URL is configured for this tenant');
    return { tenant, baseUrl };
  }

  /** The invoice and its patient's id; null when the tenant has none by that id. */
  async invoice(tenant: string, invoiceId: string): Promise<{ invoice: Invoice; patientId: string } | null> {
    if (!isFhirId(invoiceId)) return null;
    try {
      const invoice = (await this.deps.writer.read(await this.target(tenant), 'Invoice', invoiceId)) as Invoice;
      const ref = invoice.subject?.reference ?? '';
      return ref.startsWith('Patient/') ? { invoice, patientId: ref.slice('Patient/'.length) } : null;
    } catch (e) {
      if (e instanceof ConnectorError && e.kind === 'NOT_FOUND') return null;
      throw e;
    }
  }

  /**
   * Where a refund of `amount` on the invoice would go now (refund-target.ts refundRoute), on what is stored: the
   * invoice read again (a refund that finished meanwhile took its part off), the threshold and window in force, and
   * the two ledgers' sums within the window. issueRefund asks it under the patient's lease and does what it says;
   * explain asks the same (`reason` null: explain is not given one) and says it. The input is judged before
   * anything is read.
   */
  async refundRoute(
    tenant: string,
    found: { invoice: Invoice & { id?: string }; patientId: string },
    amount: number,
    reason: string | null,
  ): Promise<RefundRoute> {
    const problem = refundInputProblem(amount, reason);
    if (problem) return problem;
    const invoiceId = found.invoice.id ?? '';
    const invoice = (await this.invoice(tenant, invoiceId))?.invoice ?? found.invoice;
    const env = this.deps.environment;
    const [thresholdSetting, windowSetting] = await Promise.all([
      currentSetting(this.deps.governance, tenant, 'billing.refundThreshold', env),
      currentSetting(this.deps.governance, tenant, 'billing.refundWindowHours', env),
    ]);
    const windowHours = windowSetting.value as number;
    const currency = invoice.totalNet?.currency ?? 'USD';
    const since = this.deps.now() - windowHours * HOUR_MS;
    const [invoiceCents, patientCents] = await Promise.all(
      ledgersOf(invoiceId, found.patientId, currency).map((l) => this.deps.store.ledgerSum(tenant, l, since)),
    );
    const state: RefundState = {
      invoiceId,
      left: refundableOn(invoice),
      currency,
      threshold: thresholdSetting.value as RefundState['threshold'],
      unapprovedBefore: { invoice: invoiceCents! / 100, patient: patientCents! / 100, windowHours },
    };
    return refundRoute(amount, reason, state, env);
  }

  /**
   * What issueRefund refuses after a refund's route, by the checks it makes, in its order: one that would apply at
   * once while `connector:ehr` is stopped (CONFLICT STOPPED: assertEhrRunning), one that would wait while the
   * requester already has the most open proposals allowed (CONFLICT TOO_MANY_OPEN_PROPOSALS: the proposal's cap).
   * explain asks it; null when the refund would go ahead.
   */
  async refundRefusal(principal: Principal, route: 'APPLY' | 'NEEDS_APPROVAL'): Promise<{ reason: string; message: string } | null> {
    if (route === 'NEEDS_APPROVAL') {
      const target = { type: 'refund' as const, refundId: '(explain)' };
      return openProposalCapRefusal(this.deps.governance, principal, target, this.deps.environment);
    }
    try {
      await assertEhrRunning(this.deps.store, principal.tenant, this.deps.environment);
      return null;
    } catch (e) {
      if (e instanceof ConflictError) return { reason: e.extensions.reason, message: e.message };
      throw e;
    }
  }

  /** `attempt`: told right before the refund's commit (a client key's "attempted" mark, idempotent-once.ts). */
  async issueRefund(
    principal: Principal,
    found: { invoice: Invoice & { id?: string }; patientId: string },
    amount: number,
    reason: string,
    attempt?: () => void,
  ): Promise<RefundOutcome> {
    return this.leased(principal.tenant, `refund:patient:${found.patientId}`, async () => {
      const route = await this.refundRoute(principal.tenant, found, amount, reason);
      if (route.route === 'REFUSED') throw new BadUserInputError(route.message, route.field);
      if (route.route === 'APPLY') await assertEhrRunning(this.deps.store, principal.tenant, this.deps.environment);
      const { value } = route;
      const nowMs = this.deps.now();
      const ledgers = ledgersOf(value.invoiceId, found.patientId, value.currency);
      // Counted only when it goes through without approval (an approved refund was looked at by finance).
      const ledgerOps = (next: ChangeRequest): CommitOp[] =>
        next.status !== 'PENDING' && next.requirement.requiredApprovals === 0
          ? ledgers.map((ledger) => ({ type: 'ledger-add', ledger, entryId: next.id, cents: Math.round(value.amount * 100), atMs: nowMs }))
          : [];
      const outcome = await proposeRefund(this.deps.governance, principal, {
        environment: this.deps.environment,
        refundId: this.deps.newId(),
        value: value as unknown as never,
        reason,
        ledgerOps,
        beforeCommit: attempt,
      });
      return { change: outcome.change, value };
    });
  }

  /** Runs `work` holding the store lease on `key` (waits its turn; CONFLICT BUSY if it never comes). */
  private async leased<T>(tenant: string, key: string, work: () => Promise<T>): Promise<T> {
    const holder = this.deps.newId();
    const attempts = this.deps.leaseAttempts ?? 1_200;
    for (let attempt = 0; !(await this.deps.leases.acquire(tenant, key, holder, LEASE_TTL_MS)); attempt++) {
      if (attempt >= attempts)
        throw new ConflictError('BUSY', 'Another refund for this patient is being recorded; nothing was done by this request. Retry.');
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 30));
    }
    try {
      return await work();
    } finally {
      await this.deps.leases.release(tenant, key, holder);
    }
  }
}
