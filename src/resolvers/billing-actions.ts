import type { Invoice } from '@medplum/fhirtypes';
import type { Decision } from '../../rules/decide.js';
import { hasSensitiveLabel } from '../../connectors/ehr/sensitivity.js';
import { rowAllowed } from '../../rules/field-decision.js';
import { decidePatientAction } from '../../rules/patient-actions.js';
import type { GatewayContext } from '../context/context.js';
import { forbidden } from '../errors/forbidden.js';
import { NotFoundError } from '../errors/errors.js';
import type { RefundResult, RefundStatus, Resolvers } from '../generated/resolvers-types.js';
import type { ChangeRequest } from '../governance/change-request.js';
import { findChangeRequest } from '../services/governance/reads.js';
import { visibleRows } from './withheld.js';

// Refunds and billing automation. Thin: who may act is asked of the policy (rules/decide.ts: `write` on `financial`
// for the invoice's patient); whether the refund waits is the governed change's (src/governance/refund-target.ts).

const STATUS: Record<ChangeRequest['status'], RefundStatus> = {
  PENDING: 'PENDING_APPROVAL', APPROVED: 'APPROVED', APPLIED: 'APPLIED', FAILED: 'FAILED',
  REJECTED: 'REJECTED', CANCELLED: 'CANCELLED', EXPIRED: 'EXPIRED', SUPERSEDED: 'SUPERSEDED',
};

/**
 * The invoice a refund is asked on and the policy's decision on its patient: the first steps of issueRefund, asked by
 * explain too (then refundRoute, BillingService). Unknown, other-tenant and invalid ids look the same: not found.
 */
export async function refundTarget(
  ctx: GatewayContext,
  invoiceId: string,
): Promise<{ readonly found: { invoice: Invoice; patientId: string }; readonly decision: Decision } | null> {
  const found = await ctx.connectors.billing.invoice(ctx.principal.tenant, invoiceId);
  const patient = found ? await ctx.ehr.patient(found.patientId) : null;
  if (!found || !patient) return null;
  const decision = decidePatientAction(ctx.access, 'refund:issue', { ...patient.guard, patientId: patient.id });
  // An invoice withheld for its sensitivity (Patient.invoices drops it) is, to who may not read it, an invoice that
  // is not there: a tester refunded one they could not see, and explain answered ALLOW (visibleRow's by-id rule).
  const sensitive = { ...patient.guard, patientId: patient.id, sensitive: true };
  if (decision.effect === 'ALLOW' && hasSensitiveLabel(found.invoice.meta) && !rowAllowed(ctx.access, 'Invoice', sensitive)) return null;
  return { found, decision };
}

export const billingActionResolvers: Resolvers = {
  Mutation: {
    issueRefund: async (_p, { invoiceId, amount, reason, idempotencyKey }, ctx) => {
      // The stored invoice and its patient are authorized before the key is looked at: a caller without access is
      // refused, never replayed to.
      const target = await refundTarget(ctx, invoiceId);
      if (!target) throw new NotFoundError('Invoice', 'No such invoice.');
      if (target.decision.effect === 'DENY') throw forbidden(target.decision.denial);
      const issue = async (attempt?: () => void): Promise<RefundResult> => {
        const { change, value } = await ctx.connectors.billing.issueRefund(ctx.principal, target.found, amount, reason, attempt);
        const { invoiceId: id, amount: refunded, currency, threshold } = value;
        const status = STATUS[change.status];
        return { status, changeRequestId: change.id, invoiceId: id, amount: refunded, currency, threshold: threshold.amount };
      };
      if (idempotencyKey == null) return issue();
      return ctx.connectors.idempotency.once<RefundResult>(ctx.principal, {
        operation: 'issueRefund',
        key: idempotencyKey,
        request: { invoiceId: target.found.invoice.id ?? invoiceId, amount, reason },
        nothingDone: 'no refund was recorded',
        // A replay answers the first refund's change as it stands now (finance may have approved it since).
        replay: async (first) => {
          const change = await findChangeRequest(ctx.governance, ctx.principal, first.changeRequestId);
          return change ? { ...first, status: STATUS[change.status] } : first;
        },
        run: (attempt) => issue(attempt),
      });
    },
    runBillingAutomation: async (_p, { dryRun }, ctx, info) => {
      // Running it acts on every account of the tenant: `write` on `financial` tenant-wide, not for one row.
      const decision = ctx.access.decide({ action: 'write', dataClass: 'financial' });
      if (decision.effect === 'DENY') throw forbidden(decision.denial);
      const run = await ctx.connectors.billingAutomation.run(ctx.principal, ctx.ehr, dryRun, ctx.requestId);
      // Each action shows an invoice: the caller sees those it may read (a sensitive invoice needs the grant, as
      // Patient.invoices), said once at the list, and the PHI read of each shown row is recorded (row admission).
      return {
        ...run,
        actions: visibleRows(ctx, info, 'BillingAutomationAction', run.actions).map((a) => ({
          ...a,
          reminderDay: a.kind === 'REMINDER' ? a.reminderDay : null,
          queue: a.kind === 'ESCALATION' ? a.queue : null,
          failedPaymentAttempts: a.kind === 'ESCALATION' ? a.failedPaymentAttempts : null,
        })),
      };
    },
  },
};
