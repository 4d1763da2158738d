import type { Invoice } from '@medplum/fhirtypes';
import { hasRefund, refundableOn, withRefund } from '../../../connectors/billing/refund-resource.js';
import type { FhirWriter } from '../../../connectors/ehr/write/fhir-writer.js';
import type { RefundValue } from '../../governance/refund-target.js';
import type { ApplyEffect } from '../../governance/transition-result.js';
import type { GovernanceStore } from '../../stores/governance-store.js';
import { EffectRefusedError } from '../../errors/effect-refused-error.js';
import { assertEhrRunning } from '../ehr-stop-guard.js';

// The outbox's connector effect for an approved refund: records it on the Invoice (connectors/billing/
// refund-resource.ts) with If-Match on the version just read, and a Provenance naming the requester and approvers.
// Idempotent by the change id: after a crash the outbox runs it again and finds the refund already there. A lost
// If-Match race (someone else changed the invoice) throws, and the outbox retries on the new version; a refund that
// no longer fits on the invoice is refused for good (the change becomes FAILED at once, told to its requester).
// While `connector:ehr` is stopped nothing is read or written: CONFLICT STOPPED, which the outbox retries (the change
// stays APPROVED and goes out after the resume, or is FAILED after the outbox's last attempt).

export interface RefundEffectDeps {
  readonly store: GovernanceStore;
  readonly writer: FhirWriter;
  readonly baseUrlFor: (tenant: string) => Promise<string | null>;
  readonly now: () => number;
}

export function createRefundEffect(deps: RefundEffectDeps): (effect: ApplyEffect) => Promise<void> {
  return async (effect) => {
    if (effect.type !== 'apply-refund') return;
    const stored = await deps.store.getChange(effect.tenant, effect.changeId);
    if (!stored) throw new Error('refund: change not found');
    await assertEhrRunning(deps.store, effect.tenant, effect.environment);
    const { writer } = deps;
    const { change } = stored;
    const value = effect.value as unknown as RefundValue;
    const baseUrl = await deps.baseUrlFor(effect.tenant);
    if (!baseUrl) throw new Error('refund: no FHIR base URL for the tenant');
    const target = { tenant: effect.tenant, baseUrl };
    const invoice = (await writer.read(target, 'Invoice', value.invoiceId)) as Invoice & { id: string };
    if (hasRefund(invoice, change.id)) return;
    // Checked again here: another refund may have been applied since this one was asked. Retrying cannot help.
    if (value.amount > refundableOn(invoice))
      throw new EffectRefusedError(`refund: the amount is more than is left on the invoice (${refundableOn(invoice).toFixed(2)})`);
    const updated: Invoice & { id: string } = {
      ...withRefund(invoice, { changeId: change.id, amount: value.amount, currency: value.currency, reason: change.reason }),
      id: invoice.id,
    };
    await writer.update(
      target,
      updated,
      invoice.meta?.versionId ?? '',
      `refund:${change.id}`,
      { sub: change.requester.sub, kind: change.requester.kind, approvedBy: change.approvals.map((a) => a.sub) },
      new Date(deps.now()).toISOString(),
    );
  };
}
