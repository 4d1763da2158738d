import type {
  AuditEvent as FhirAuditEvent,
  AuditEventAgent,
  AuditEventEntity,
  AuditEventSource,
  CodeableConcept,
  Coding,
} from '@medplum/fhirtypes';
import type { AuditActor, AuditEvent, AuthEvent, ChangeEvent, PhiReadEvent } from './audit-event.js';

// Our audit events as FHIR R4 AuditEvent resources (https://hl7.org/fhir/R4/auditevent.html), following the IHE Basic
// Audit Log Patterns (BALP, https://profiles.ihe.net/ITI/BALP/). Pure: no I/O, no clock.
//
// - PHI read: BALP PatientRead / PatientQuery (one AuditEvent per patient, BALP 3:5.7.4) with the patient entity
//   slice (audit-entity-type 1 Person, object-role 1 Patient). The event type is DICOM 110110 "Patient Record"
//   rather than BALP's `rest`: the access came through GraphQL, not a FHIR RESTful interaction; the subtype still says
//   read or search. The reader is the user agent: v3-ParticipationType IRCP "information recipient", requestor.
// - Governed change: BALP Create/Update pattern (type rest, subtype create for the proposal, update for every later
//   step), one entity for the setting or stop target with the change's story in entity.detail.
// - Emergency stop: DICOM 110100 "Application Activity" / 110121 "Application Stop", action E.
// - Failed login: BALP-style Login, DICOM 110114 "User Authentication" / 110122 "Login", outcome 4 (minor failure).
// Principals are identified by the token's `sub` as an Identifier value without a system: the sub is scoped by the
// token issuer, which the log does not record.

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const RESTFUL = 'http://hl7.org/fhir/restful-interaction';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const PARTICIPATION = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
/** Not a FHIR system: names Clearance's own setting keys and stop targets (`setting:<key>`, `stop:<target>`). */
const TARGET_SYSTEM = 'urn:clearance:target';

const coding = (system: string, code: string, display: string): Coding => ({ system, code, display });
const concept = (c: Coding): CodeableConcept => ({ coding: [c] });

/** Purpose of use per policy function (v3-ActReason); break-glass reads are ETREAT whatever the role. */
const PURPOSE_BY_FUNCTION: Readonly<Record<string, Coding>> = {
  clinical: coding(ACT_REASON, 'TREAT', 'treatment'),
  finance: coding(ACT_REASON, 'HPAYMT', 'healthcare payment'),
  operations: coding(ACT_REASON, 'HOPERAT', 'healthcare operations'),
  technical: coding(ACT_REASON, 'HSYSADMIN', 'health system administration'),
  security: coding(ACT_REASON, 'HSYSADMIN', 'health system administration'),
  compliance: coding(ACT_REASON, 'HCOMPL', 'health compliance'),
};
const EMERGENCY_TREATMENT = coding(ACT_REASON, 'ETREAT', 'Emergency Treatment');

export interface FhirAuditOptions {
  /** The policy function of a role (clinical, finance...): what the reader's purpose of use is taken from. */
  readonly functionOfRole: (role: string) => string | undefined;
  /** The event's record holds PHI reads of several patients: one list query, so the subtype is search. */
  readonly search?: boolean;
}

/** Where the event sits in our log; becomes the resource id (`<seq>-<index>`, a valid FHIR id). */
export interface LogPosition {
  readonly seq: number;
  readonly index: number;
}

const SOURCE = (tenant: string): AuditEventSource => ({
  site: tenant,
  observer: { display: 'Clearance gateway' },
  type: [coding(SOURCE_TYPE, '4', 'Application Server')],
});

function purposeOf(event: PhiReadEvent, options: FhirAuditOptions): Coding | undefined {
  if (event.breakGlass) return EMERGENCY_TREATMENT;
  for (const role of event.actor?.roles ?? []) {
    const p = PURPOSE_BY_FUNCTION[options.functionOfRole(role) ?? ''];
    if (p) return p;
  }
  return undefined;
}

function agentOf(actor: AuditActor | null, type: Coding, purpose?: Coding): AuditEventAgent {
  if (!actor) return { type: concept(coding(DCM, '110150', 'Application')), who: { display: 'Clearance gateway' }, requestor: false };
  // An auth failure's actor is only what the rejected token claimed: said so, never presented as an identity.
  const unverified = actor.kind === 'unverified';
  return {
    type: concept(type),
    who: { identifier: { value: actor.sub }, display: unverified ? `${actor.sub} (unverified claim)` : actor.sub },
    requestor: true,
    ...(actor.roles?.length ? { role: actor.roles.map((r) => ({ text: r })) } : {}),
    ...(purpose ? { purposeOfUse: [concept(purpose)] } : {}),
  };
}

const detail = (entries: Record<string, unknown>): AuditEventEntity['detail'] =>
  Object.entries(entries)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([type, v]) => ({ type, valueString: typeof v === 'string' ? v : JSON.stringify(v) }));

function phiRead(event: PhiReadEvent, options: FhirAuditOptions): Omit<FhirAuditEvent, 'id'> {
  const purpose = purposeOf(event, options);
  return {
    resourceType: 'AuditEvent',
    type: coding(DCM, '110110', 'Patient Record'),
    subtype: [options.search ? coding(RESTFUL, 'search', 'search') : coding(RESTFUL, 'read', 'read')],
    action: 'R',
    recorded: event.at,
    outcome: '0',
    ...(purpose ? { purposeOfEvent: [concept(purpose)] } : {}),
    agent: [agentOf(event.actor, coding(PARTICIPATION, 'IRCP', 'information recipient'), purpose)],
    source: SOURCE(event.tenant),
    entity: [
      {
        what: { reference: `Patient/${event.patientId}` },
        type: coding(ENTITY_TYPE, '1', 'Person'),
        role: coding(OBJECT_ROLE, '1', 'Patient'),
        // Names of data classes and fields, never their values (the log holds no PHI values).
        detail: detail({
          dataClasses: event.dataClasses.join(' '),
          fields: event.fields.join(' '),
          operation: event.operation,
          requestId: event.requestId,
          breakGlass: event.breakGlass ? 'true' : null,
        }),
      },
    ],
  };
}

function change(event: ChangeEvent): Omit<FhirAuditEvent, 'id'> {
  const stop = event.category === 'emergency';
  const proposed = event.action === 'change.proposed';
  return {
    resourceType: 'AuditEvent',
    type: stop ? coding(DCM, '110100', 'Application Activity') : coding(EVENT_TYPE, 'rest', 'RESTful Operation'),
    subtype: [
      stop
        ? coding(DCM, '110121', 'Application Stop')
        : proposed
          ? coding(RESTFUL, 'create', 'create')
          : coding(RESTFUL, 'update', 'update'),
    ],
    action: stop ? 'E' : proposed ? 'C' : 'U',
    recorded: event.at,
    outcome: event.outcome === 'failure' ? '8' : '0',
    ...(event.outcome === 'failure' && event.reason ? { outcomeDesc: event.reason } : {}),
    agent: [agentOf(event.actor, coding(PARTICIPATION, 'AUT', 'author (originator)'))],
    source: SOURCE(event.tenant),
    entity: [
      {
        what: { identifier: { system: TARGET_SYSTEM, value: event.target }, display: event.target },
        type: coding(ENTITY_TYPE, '2', 'System Object'),
        role: coding(OBJECT_ROLE, '5', 'Master file'),
        description: `${event.environment} ${event.target}`,
        detail: detail({
          action: event.action,
          changeId: event.changeId,
          status: event.status,
          environment: event.environment,
          settingCategory: event.settingCategory,
          risk: event.risk,
          reason: event.reason,
          ticket: event.ticket,
          before: event.before,
          after: event.after,
          approvals: event.approvals.length ? event.approvals : null,
          detail: Object.keys(event.detail).length ? event.detail : null,
        }),
      },
    ],
  };
}

function authFailure(event: AuthEvent): Omit<FhirAuditEvent, 'id'> {
  return {
    resourceType: 'AuditEvent',
    type: coding(DCM, '110114', 'User Authentication'),
    subtype: [coding(DCM, '110122', 'Login')],
    action: 'E',
    recorded: event.at,
    outcome: '4',
    outcomeDesc: `token verification failed: ${event.reason}`,
    agent: [
      event.actor
        ? agentOf(event.actor, coding(PARTICIPATION, 'IRCP', 'information recipient'))
        : { who: { display: 'unknown (no plausible subject in the token)' }, requestor: true },
    ],
    source: SOURCE(event.tenant),
  };
}

export function toFhirAuditEvent(event: AuditEvent, at: LogPosition, options: FhirAuditOptions): FhirAuditEvent {
  const id = `${at.seq}-${at.index}`;
  switch (event.category) {
    case 'phi-read':
      return { id, ...phiRead(event, options) };
    case 'auth':
      return { id, ...authFailure(event) };
    case 'change':
    case 'emergency':
    case 'access':
    case 'policy':
      return { id, ...change(event) };
  }
}

