import { readOf } from '../../rules/decide.js';
import type { PatientRow, PatientRowField } from '../../connectors/ehr/rows.js';
import type { GatewayContext } from '../context/context.js';
import { BadUserInputError } from '../errors/errors.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { readSlot } from '../audit/read-slots.js';
import { decodeCursor, encodeCursor, pageSize, parseGlobalId, requireFhirId } from './ids.js';
import { maskIdentifier } from './mask.js';
import { selectedFields } from './selection.js';

// Thin: fetch through ctx.ehr, shape for GraphQL. Whether a field may be returned is decided by the shield tree
// (rules/), never here; the only policy question asked here is whether to unmask identifiers, and it is asked of
// the same compiled policy.

const MAX_OBSERVATIONS_PER_PATIENT = 100;
/** A department code as tokens carry them (`cardiology`): anything else never matches a department, so it is refused. */
const DEPARTMENT_CODE = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * The PatientRow fields each Patient field reads, so a list asks the FHIR server only for what its nodes select
 * (connectors/ehr/fhir-mapping.ts turns them into `_elements`). A field missing here makes the list fetch whole
 * resources: never a wrong null. test/resolvers/patient-row-fields.test.ts keeps it in step with the schema.
 */
export const PATIENT_ROW_FIELDS: Readonly<Record<string, readonly PatientRowField[]>> = {
  __typename: [],
  id: ['id'],
  name: ['name'],
  gender: ['gender'],
  birthDate: ['birthDate'],
  department: ['department'],
  address: ['address'],
  telecom: ['telecom'],
  mrn: ['mrn'],
  ssn: ['ssn'],
  // Lists of the patient's record: their own searches, by the patient's id (always there).
  ...Object.fromEntries(
    ['conditions', 'observations', 'medications', 'allergies', 'immunizations', 'encounters', 'carePlans', 'notes', 'coverage', 'claims', 'explanationOfBenefits', 'invoices', 'accountBalance'].map(
      (f) => [f, []],
    ),
  ),
};

/** The PatientRow fields a list's nodes read, or null (whole resources) when one of them is not known above. */
export function rowFieldsOf(selected: Iterable<string>): PatientRowField[] | null {
  const fields = new Set<PatientRowField>();
  for (const name of selected) {
    const needs = PATIENT_ROW_FIELDS[name];
    if (!needs) return null;
    for (const f of needs) fields.add(f);
  }
  return [...fields];
}

export const patientResolvers: Resolvers = {
  Query: {
    patient: (_p, { id }, ctx) => ctx.ehr.patient(requireFhirId(id)),
    patients: async (_p, { first, after, name, department }, ctx, info) => {
      const size = pageSize(first, ctx.limits);
      const offset = decodeCursor(after);
      if (department !== null && department !== undefined && !DEPARTMENT_CODE.test(department)) throw new BadUserInputError('department is not a department code', 'department');
      const fields = rowFieldsOf(selectedFields(info, ['edges', 'node']));
      const page = await ctx.ehr.searchPatients({ name: name ?? null, department: department ?? null, first: size, offset, fields });
      return {
        edges: page.rows.map((node, i) => ({ cursor: encodeCursor(offset + i + 1), node })),
        pageInfo: {
          hasNextPage: page.hasMore,
          hasPreviousPage: offset > 0,
          startCursor: page.rows.length ? encodeCursor(offset + 1) : null,
          endCursor: page.rows.length ? encodeCursor(offset + page.rows.length) : null,
        },
      };
    },
    node: (_p, { id }, ctx) => {
      const ref = parseGlobalId(id);
      return ref.type === 'Patient' ? ctx.ehr.patient(ref.id) : ctx.ehr.encounter(ref.id);
    },
    patientStatistics: (_p, _a, ctx) => ctx.ehr.statistics(ctx.limits.suppressionThreshold),
  },
  Node: {
    __resolveType: (obj) => ('subjectId' in obj ? 'Encounter' : 'Patient'),
  },
  Patient: {
    mrn: (p, _a, ctx) => unmaskedOrMasked(p.mrn, p, ctx),
    ssn: (p, _a, ctx) => unmaskedOrMasked(p.ssn, p, ctx),
    conditions: (p, _a, ctx) => ctx.ehr.conditions(p),
    observations: (p, { code, count }, ctx) => {
      const n = pageSize(count, { defaultPageSize: 10, maxPageSize: MAX_OBSERVATIONS_PER_PATIENT }, 'count');
      return ctx.ehr.observations(p, { code: code ?? null, count: n });
    },
    medications: (p, _a, ctx) => ctx.ehr.medications(p),
    allergies: (p, _a, ctx) => ctx.ehr.allergies(p),
    immunizations: (p, _a, ctx) => ctx.ehr.immunizations(p),
    encounters: (p, _a, ctx) => ctx.ehr.encounters(p),
    carePlans: (p, _a, ctx) => ctx.ehr.carePlans(p),
    notes: (p, _a, ctx) => ctx.ehr.notes(p),
  },
  Encounter: {
    subject: (e, _a, ctx) => ctx.ehr.patient(e.subjectId),
  },
};

const IDENTIFIERS_READ = readSlot('identifiers', 'Patient.identifiers');

function unmaskedOrMasked(value: string | null, p: PatientRow, ctx: GatewayContext): string | null {
  const decision = ctx.access.decide(readOf('identifiers'), p.guard);
  if (decision.effect !== 'ALLOW') return maskIdentifier(value);
  if (value !== null) ctx.phiReads.record(p.guard.patientId, IDENTIFIERS_READ);
  return value;
}
