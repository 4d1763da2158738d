import type { Invoice } from '@medplum/fhirtypes';
import { ConnectorError } from '../../../connectors/common/connector-error.js';
import { refundableOn } from '../../../connectors/billing/refund-resource.js';
import type { FhirWriter, WriteTarget } from '../../../connectors/ehr/write/fhir-writer.js';
import type { Principal } from '../../auth/principal.js';
import { BadUserInputError } from '../../errors/errors.js';
import type { ChangeRequest } from '../../governance/change-request.js';
import type { Environment } from '../../governance/environment.js';
import type { RefundValue } from '../../governance/refund-target.js';
import type { GovernanceService } from '../governance-service.js';
import { isFhirId } from '../../../connectors/ehr/fhir-id.js';

// Refunds with I/O: reads the invoice from the tenant's FHIR server and the governed `billing.refundThreshold` of
// the gateway's environment, checks the amount against what is left on the invoice, and proposes the refund as a
// governed change (src/governance/refund-target.ts decides whether it waits). Who may refund was decided before
// (rules/decide.ts: `write` on `financial` for the invoice's patient).

export interface BillingDeps {
  readonly governance: GovernanceService;
  readonly writer: FhirWriter;
  readonly environment: Environment;
  readonly baseUrlFor: (tenant: string) => Promise<string | null>;
  readonly newId: () => string;
}

export interface RefundOutcome {
  readonly change: ChangeRequest;
  readonly value: RefundValue;
}

const ROUND = (n: number) => Math.round(n * 100) / 100;

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

  async issueRefund(principal: Principal, invoice: Invoice & { id?: string }, amount: number, reason: string): Promise<RefundOutcome> {
    if (!(amount > 0) || ROUND(amount) !== amount) throw new BadUserInputError('amount must be more than zero, with at most two decimals.', 'amount');
    const left = refundableOn(invoice);
    if (amount > left) throw new BadUserInputError(`amount is more than is left on the invoice (${left.toFixed(2)}).`, 'amount');
    if (!reason.trim()) throw new BadUserInputError('reason is required for a refund.', 'reason');
    const threshold = (await this.deps.governance.currentSetting(principal.tenant, 'billing.refundThreshold', this.deps.environment)).value as { amount: number; currency: string };
    const value: RefundValue = { invoiceId: invoice.id ?? '', amount, currency: invoice.totalNet?.currency ?? 'USD', threshold };
    const outcome = await this.deps.governance.proposeRefund(principal, { environment: this.deps.environment, refundId: this.deps.newId(), value: value as unknown as never, reason });
    return { change: outcome.change, value };
  }
}
