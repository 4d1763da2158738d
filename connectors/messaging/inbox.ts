import type { Communication } from '@medplum/fhirtypes';
import { securityLabel } from '../ehr/sensitivity.js';
import type { Queue, RouteDecision } from './inbound-routing.js';

// Inbound patient messages live in the tenant's FHIR server, not in the gateway: one Communication per message
// (sender and subject the patient, status in-progress while it waits), its queue as a category coding. The queues
// are then FHIR searches (`Communication?category=<system>|<queue>&status=in-progress`), so any replica, and the EHR
// itself, sees the same work queue. Pure builders.

export const QUEUE_SYSTEM = 'urn:clearance:message-queue';
export const QUEUES: readonly Queue[] = ['on-call', 'nurse-triage', 'front-desk', 'billing'];

export function inboundCommunication(patientId: string, text: string, decision: RouteDecision, receivedIso: string): Communication {
  return {
    resourceType: 'Communication',
    // A sensitive text is labelled like any sensitive record (HL7 ActCode HIV/ETH/PSY in meta.security), so the EHR
    // and every replica know it; queue-item.ts reads the label (and the text again, for messages without one).
    ...(decision.sensitive ? { meta: { security: [securityLabel(decision.sensitive)] } } : {}),
    status: 'in-progress',
    category: [{ coding: [{ system: QUEUE_SYSTEM, code: decision.queue }] }],
    // An emergency goes to the top of every list that sorts by priority.
    priority: decision.emergency ? 'stat' : 'routine',
    subject: { reference: `Patient/${patientId}` },
    sender: { reference: `Patient/${patientId}` },
    received: receivedIso,
    reasonCode: [{ text: `routed by ${decision.rule}${decision.action ? ` (${decision.action})` : ''}` }],
    // The triage decision, so a queue can show it and decide who may read the text (queue-item.ts).
    extension: [
      { url: 'urn:clearance:triage-level', valueCode: decision.triage.level },
      ...(decision.triage.concept ? [{ url: 'urn:clearance:triage-concept', valueCode: decision.triage.concept }] : []),
    ],
    payload: [{ contentString: text }],
  };
}

/** The search that counts a queue's waiting messages. */
export const queueSearch = (queue: Queue): Record<string, string> => ({ category: `${QUEUE_SYSTEM}|${queue}`, status: 'in-progress' });
