import type { Invoice } from '@medplum/fhirtypes';

// How a refund is recorded in FHIR (decision): on its Invoice, as one more line item whose price component is of
// type `discount` (https://hl7.org/fhir/R4/invoice-definitions.html#Invoice.lineItem.priceComponent), coded with the
// governed change's id, and totalNet lowered by the amount. Not a PaymentReconciliation: the Invoice then says by
// itself what is left to pay, and reads (Patient.invoices, accountBalance) need no second search. Idempotent: a
// line item coded with the change id means that refund is already there, so an outbox retry writes nothing. Pure.

export const REFUND_SYSTEM = 'urn:clearance:refund';

const round2 = (value: number) => Math.round(value * 100) / 100;

export function hasRefund(invoice: Invoice, changeId: string): boolean {
  return (invoice.lineItem ?? []).some((item) =>
    item.chargeItemCodeableConcept?.coding?.some((c) => c.system === REFUND_SYSTEM && c.code === changeId),
  );
}

/** What a refund may still take off the invoice: its totalNet (what the patient owes or paid on it). */
export const refundableOn = (invoice: Invoice): number => round2(invoice.totalNet?.value ?? 0);

export function withRefund(
  invoice: Invoice,
  refund: { changeId: string; amount: number; currency: string; reason: string | null },
): Invoice {
  const items = invoice.lineItem ?? [];
  const sequence = items.reduce((max, item) => Math.max(max, item.sequence ?? 0), 0) + 1;
  const currency = refund.currency as NonNullable<NonNullable<Invoice['totalNet']>['currency']>;
  return {
    ...invoice,
    lineItem: [
      ...items,
      {
        sequence,
        chargeItemCodeableConcept: {
          coding: [{ system: REFUND_SYSTEM, code: refund.changeId, display: 'Refund' }],
          text: refund.reason ? `Refund: ${refund.reason.slice(0, 200)}` : 'Refund',
        },
        priceComponent: [{ type: 'discount', amount: { value: refund.amount, currency } }],
      },
    ],
    totalNet: { value: round2(Math.max(0, refundableOn(invoice) - refund.amount)), currency },
  };
}
