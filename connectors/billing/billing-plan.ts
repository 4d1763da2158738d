// What billing automation would do now, from the current governed rules: pure, no I/O, the clock comes in.
// Reminders: for each open invoice (issued, something left to pay), the latest step of `billing.reminderCadenceDays`
// it has reached (days since the invoice date); one reminder per invoice and step, so a run that finds the step
// already sent sends nothing (the executor checks that). Escalations: an open invoice whose failed automatic
// payment attempts reach `billing.failedPaymentEscalation.afterAttempts` goes to its queue.

export interface OpenInvoice {
  readonly patientId: string;
  readonly accountId: string | null;
  readonly invoiceId: string;
  readonly status: string | null;
  readonly date: string | null;
  readonly totalNet: number | null;
  readonly currency: string | null;
  readonly failedPaymentAttempts: number;
}

export interface BillingRules {
  readonly reminderCadenceDays: readonly number[];
  readonly failedPaymentEscalation: { readonly afterAttempts: number; readonly escalateTo: string; readonly pauseAutoCollection: boolean };
}

interface ActionBase {
  readonly patientId: string;
  readonly accountId: string | null;
  readonly invoiceId: string;
  /** The invoice's date (YYYY-MM-DD), for the reminder text. */
  readonly invoiceDate: string;
  readonly amount: number;
  readonly currency: string;
  readonly daysOpen: number;
  /** The setting (and element) that produced it, e.g. `billing.reminderCadenceDays[2]`. */
  readonly rule: string;
}

export type BillingAction =
  | (ActionBase & { readonly kind: 'REMINDER'; readonly reminderDay: number })
  | (ActionBase & {
      readonly kind: 'ESCALATION';
      readonly queue: string;
      readonly failedPaymentAttempts: number;
      readonly pauseAutoCollection: boolean;
    });

const DAY_MS = 86_400_000;

export function planBillingAutomation(invoices: readonly OpenInvoice[], rules: BillingRules, now: number): BillingAction[] {
  const actions: BillingAction[] = [];
  for (const invoice of invoices) {
    const amount = invoice.totalNet ?? 0;
    const issued = Date.parse(invoice.date ?? '');
    if (invoice.status !== 'issued' || amount <= 0 || Number.isNaN(issued)) continue;
    const daysOpen = Math.floor((now - issued) / DAY_MS);
    const base = {
      patientId: invoice.patientId,
      accountId: invoice.accountId,
      invoiceId: invoice.invoiceId,
      invoiceDate: new Date(issued).toISOString().slice(0, 10),
      amount,
      currency: invoice.currency ?? 'USD',
      daysOpen,
    };
    const step = rules.reminderCadenceDays.reduce((found, day, i) => (day <= daysOpen ? i : found), -1);
    if (step >= 0)
      actions.push({
        ...base,
        kind: 'REMINDER',
        reminderDay: rules.reminderCadenceDays[step]!,
        rule: `billing.reminderCadenceDays[${step}]`,
      });
    const escalation = rules.failedPaymentEscalation;
    if (invoice.failedPaymentAttempts >= escalation.afterAttempts) {
      actions.push({
        ...base,
        kind: 'ESCALATION',
        queue: escalation.escalateTo,
        failedPaymentAttempts: invoice.failedPaymentAttempts,
        pauseAutoCollection: escalation.pauseAutoCollection,
        rule: 'billing.failedPaymentEscalation',
      });
    }
  }
  return actions;
}
