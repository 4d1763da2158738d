import type { Communication } from '@medplum/fhirtypes';
import { QUEUE_SYSTEM } from '../messaging/inbox.js';
import type { BillingAction } from './billing-plan.js';

// A failed-payment escalation lands in a messaging queue like an inbound message (connectors/messaging/inbox.ts):
// an in-progress Communication about the patient with the queue as category, so `messageQueues` counts it and the
// billing team works it from the same list. Pure.

export function escalationCommunication(action: Extract<BillingAction, { kind: 'ESCALATION' }>, atIso: string): Communication {
  return {
    resourceType: 'Communication',
    status: 'in-progress',
    category: [{ coding: [{ system: QUEUE_SYSTEM, code: action.queue }] }],
    priority: 'urgent',
    subject: { reference: `Patient/${action.patientId}` },
    about: [{ reference: `Invoice/${action.invoiceId}` }],
    sent: atIso,
    reasonCode: [{ text: `escalated by ${action.rule}` }],
    payload: [
      {
        contentString: `Invoice ${action.invoiceId}: ${action.failedPaymentAttempts} failed payment attempts, ` +
          `${action.amount.toFixed(2)} ${action.currency} open.`,
      },
    ],
  };
}
