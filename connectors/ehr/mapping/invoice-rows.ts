import type { Invoice } from '@medplum/fhirtypes';
import type { AccountBalanceRow, InvoiceRow, PatientRow } from '../rows.js';
import { hasSensitiveLabel } from '../sensitivity.js';
import { orNull, referenceId } from './fhir-values.js';

// Invoices → rows, and the open balance of a patient from them. A refund is recorded on its Invoice as a line item
// whose price component is a `discount` (connectors/billing/refund-resource.ts); `refunded` sums those.

export const FAILED_PAYMENT_ATTEMPTS_EXTENSION = 'urn:clearance:fhir:StructureDefinition:failed-payment-attempts';

const round2 = (value: number) => Math.round(value * 100) / 100;

function refundedOn(invoice: Invoice): number {
  const discounts = (invoice.lineItem ?? []).flatMap((item) => item.priceComponent ?? []).filter((c) => c.type === 'discount');
  return round2(discounts.reduce((sum, c) => sum + Math.abs(c.amount?.value ?? 0), 0));
}

export function toInvoiceRow(invoice: Invoice, patient: PatientRow): InvoiceRow {
  const attempts = invoice.extension?.find((e) => e.url === FAILED_PAYMENT_ATTEMPTS_EXTENSION)?.valueInteger;
  return {
    guard: {
      tenant: patient.guard.tenant,
      patientId: patient.id,
      departments: patient.guard.departments,
      sensitive: hasSensitiveLabel(invoice.meta),
    },
    id: invoice.id ?? '',
    status: orNull(invoice.status),
    date: orNull(invoice.date),
    totalGross: invoice.totalGross?.value ?? null,
    totalNet: invoice.totalNet?.value ?? null,
    currency: invoice.totalNet?.currency ?? invoice.totalGross?.currency ?? null,
    refunded: refundedOn(invoice),
    accountId: referenceId(invoice.account, 'Account'),
    failedPaymentAttempts: typeof attempts === 'number' ? attempts : 0,
  };
}

export function accountBalanceOf(patient: PatientRow, invoices: readonly InvoiceRow[]): AccountBalanceRow {
  const open = invoices.filter((i) => i.status === 'issued');
  return {
    guard: patient.guard,
    amount: round2(open.reduce((sum, i) => sum + (i.totalNet ?? 0), 0)),
    currency: open.find((i) => i.currency)?.currency ?? 'USD',
    openInvoices: open.length,
  };
}
