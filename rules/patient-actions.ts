import type { AccessRequest, Decision, PrincipalPolicy, RowTarget } from './decide.js';

// The data-class side of every patient-scoped action (write-back, refunds, messaging): which permissions it needs on
// the patient's row, decided in one place. The mutations ask `decidePatientAction` before they act and `explain`
// asks the same function for `<action>` with resource.patientId, so the two cannot disagree.
// Whether the action then waits for approval is the governed change's (refund threshold, an agent's proposal).

export type PatientAction =
  | 'write:notes'
  | 'write:observations'
  | 'write:medications'
  | 'propose:medications'
  | 'refund:issue'
  | 'message:send'
  | 'message:route';

const write = (dataClass: string): AccessRequest => Object.freeze({ action: 'write', dataClass });

/** What each action needs, in the order asked (the first refusal is the one reported). */
const PATIENT_ACTIONS: Readonly<Record<PatientAction, readonly AccessRequest[]>> = {
  'write:notes': [write('notes')],
  'write:observations': [write('observations')],
  'write:medications': [write('medications')],
  'propose:medications': [Object.freeze({ action: 'propose', dataClass: 'medications' })],
  'refund:issue': [write('financial')],
  // The gateway reads the patient's address on the caller's behalf: messaging needs contact read too.
  'message:send': [write('messaging'), Object.freeze({ action: 'read', dataClass: 'contact' })],
  'message:route': [write('messaging'), Object.freeze({ action: 'read', dataClass: 'contact' })],
};

/** The decision for an action on a patient's row (or, without a row, on some row the caller may reach). */
export function decidePatientAction(access: PrincipalPolicy, action: PatientAction, row?: RowTarget): Decision {
  let last: Decision | null = null;
  for (const request of PATIENT_ACTIONS[action]) {
    last = access.decide(request, row);
    if (last.effect === 'DENY') return last;
  }
  return last!;
}

/**
 * How a medication request goes: a human who may write medications writes at once; anyone else (an agent) may only
 * propose it, which queues for a clinician. The decision is the one of the mode chosen.
 */
export function decideMedicationRequest(
  access: PrincipalPolicy,
  row?: RowTarget,
): { readonly mode: 'write' | 'propose'; readonly decision: Decision } {
  const direct = access.principal.kind === 'user' && access.decide(PATIENT_ACTIONS['write:medications'][0]!).effect === 'ALLOW';
  const mode = direct ? 'write' : 'propose';
  return { mode, decision: decidePatientAction(access, direct ? 'write:medications' : 'propose:medications', row) };
}
