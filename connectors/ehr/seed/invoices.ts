import type { Account, Claim, ExplanationOfBenefit, Invoice, Patient } from '@medplum/fhirtypes';
import { FAILED_PAYMENT_ATTEMPTS_EXTENSION } from '../mapping/invoice-rows.js';
import { seedMeta } from './seed-tag.js';
import { fnv1a } from './stable-hash.js';

// Invoices: Synthea writes none. The seed bills the patient for the latest three claims
// (https://hl7.org/fhir/R4/invoice.html): totalGross is what the claim billed, totalNet what is left for the
// patient after the payer's payment (the ExplanationOfBenefit of that claim). The latest invoice with something
// left is `issued` (open: reminders and escalations apply), older ones `balanced` (paid). Each invoice points at
// the patient's Account. Open invoices carry how many automatic payment attempts failed (0 to 4, stable per
// invoice), which `billing.failedPaymentEscalation` reads.

const INVOICES_PER_PATIENT = 3;

const round2 = (value: number) => Math.round(value * 100) / 100;
const money = (value: number) => ({ value, currency: 'USD' as const });

export function invoicesForPatient(
  patient: Patient & { id: string },
  account: Account,
  claims: readonly Claim[],
  eobs: readonly ExplanationOfBenefit[],
): Invoice[] {
  const paidFor = (claimId: string | undefined) =>
    eobs.filter((eob) => eob.claim?.reference === `Claim/${claimId}`).reduce((sum, eob) => sum + (eob.payment?.amount?.value ?? 0), 0);
  const latest = [...claims]
    .filter((claim) => claim.id && claim.total?.value !== undefined)
    .sort((a, b) => (b.created ?? '').localeCompare(a.created ?? '') || (b.id ?? '').localeCompare(a.id ?? ''))
    .slice(0, INVOICES_PER_PATIENT);
  let openOne = false;
  return latest.map((claim) => {
    const gross = round2(claim.total?.value ?? 0);
    const net = round2(Math.max(0, gross - paidFor(claim.id)));
    const open = !openOne && net > 0;
    openOne ||= open;
    return {
      resourceType: 'Invoice',
      id: `invoice-${claim.id}`.slice(0, 64),
      meta: seedMeta(),
      status: open ? 'issued' : 'balanced',
      subject: { reference: `Patient/${patient.id}` },
      date: claim.created,
      account: { reference: `Account/${account.id}` },
      lineItem: [
        { sequence: 1, chargeItemReference: { reference: `Claim/${claim.id}` }, priceComponent: [{ type: 'base', amount: money(gross) }] },
      ],
      totalGross: money(gross),
      totalNet: money(net),
      ...(open ? { extension: [{ url: FAILED_PAYMENT_ATTEMPTS_EXTENSION, valueInteger: fnv1a(`attempts:${claim.id}`) % 5 }] } : {}),
    };
  });
}
