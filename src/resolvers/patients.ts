import { decideField, rowReadScope } from '../../rules/field-decision.js';
import type { PatientRow, PatientRowField } from '../../connectors/ehr/rows.js';
import type { GatewayContext } from '../context/context.js';
import { BadUserInputError } from '../errors/errors.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { decodeCursor, encodeCursor, pageSize, parseGlobalId, requireFhirId } from './ids.js';
import { maskIdentifier } from './mask.js';
import { selectedFields } from './selection.js';
import { searchTextArg } from './upstream-input.js';
import { visibleRow, visibleRows, visibleRowsOfSearch } from './withheld.js';

// Thin: fetch through ctx.ehr, shape for GraphQL. Whether a field or a row may be returned, and whether an identifier
// is masked, is the kernel's decision (rules/field-decision.ts), never made here: lists drop the rows it withholds
// (withheld.ts), identifiers take the mask it names.

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
    [
      'conditions',
      'observations',
      'medications',
      'allergies',
      'immunizations',
      'encounters',
      'carePlans',
      'notes',
      'coverage',
      'claims',
      'explanationOfBenefits',
      'invoices',
      'accountBalance',
    ].map((f) => [f, []]),
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
      if (department !== null && department !== undefined && !DEPARTMENT_CODE.test(department))
        throw new BadUserInputError('department is not a department code', 'department');
      // Sent as the FHIR `name` search parameter: bounded and free of control characters before anything is searched.
      if (name !== null && name !== undefined) searchTextArg(name, 'name');
      const fields = rowFieldsOf(selectedFields(info, ['edges', 'node']));
      // Only patients the caller may read are searched for, so no count, cursor or "withheld" hints at one it may not
      // (a name search matching only hidden patients answers as one matching nobody). Under break-glass the opened
      // patient is outside any department filter: that list is searched whole and withheld row by row.
      const scope = rowReadScope(ctx.access, 'Patient');
      const asked = department ? [department] : null;
      const departments =
        scope.kind === 'rows' && scope.patients.length === 0
          ? (asked ?? scope.departments).filter((d) => scope.departments.includes(d))
          : asked;
      const page = await ctx.ehr.searchPatients({ name: name ?? null, departments, first: size, offset, fields });
      // Patients the caller may not see are withheld whole, as from every list (withheld.ts); each edge keeps the
      // cursor of its place in the search, so paging is unchanged.
      const visible = visibleRows(ctx, info, 'Patient', page.rows);
      const kept = visible.length === page.rows.length ? null : new Set(visible);
      return {
        edges: page.rows.flatMap((node, i) => (!kept || kept.has(node) ? [{ cursor: encodeCursor(offset + i + 1), node }] : [])),
        pageInfo: {
          hasNextPage: page.hasMore,
          hasPreviousPage: offset > 0,
          startCursor: page.rows.length ? encodeCursor(offset + 1) : null,
          endCursor: page.rows.length ? encodeCursor(offset + page.rows.length) : null,
        },
      };
    },
    node: (_p, { id }, ctx, info) => {
      const ref = parseGlobalId(id);
      return ref.type === 'Patient'
        ? ctx.ehr.patient(ref.id)
        : ctx.ehr.encounter(ref.id).then((e) => visibleRow(ctx, info, 'Encounter', e));
    },
    patientStatistics: (_p, _a, ctx) => ctx.ehr.statistics(ctx.limits.suppressionThreshold),
  },
  Node: {
    __resolveType: (obj) => ('subjectId' in obj ? 'Encounter' : 'Patient'),
  },
  Patient: {
    mrn: (p, _a, ctx) => masked(p.mrn, p, ctx, 'mrn'),
    ssn: (p, _a, ctx) => masked(p.ssn, p, ctx, 'ssn'),
    conditions: async (p, _a, ctx, info) => visibleRows(ctx, info, 'Condition', await ctx.ehr.conditions(p)),
    observations: async (p, { code, count }, ctx, info) => {
      const n = pageSize(count, { defaultPageSize: 10, maxPageSize: MAX_OBSERVATIONS_PER_PATIENT }, 'count');
      // Sent as the FHIR `code` search parameter (a token: `code` or `system|code`).
      if (code !== null && code !== undefined) searchTextArg(code, 'code');
      const rows = await ctx.ehr.observations(p, { code: code ?? null, count: n });
      return code == null ? visibleRows(ctx, info, 'Observation', rows) : visibleRowsOfSearch(ctx, info, 'Observation', p.guard, rows);
    },
    medications: async (p, _a, ctx, info) => visibleRows(ctx, info, 'MedicationRequest', await ctx.ehr.medications(p)),
    allergies: async (p, _a, ctx, info) => visibleRows(ctx, info, 'AllergyIntolerance', await ctx.ehr.allergies(p)),
    immunizations: async (p, _a, ctx, info) => visibleRows(ctx, info, 'Immunization', await ctx.ehr.immunizations(p)),
    encounters: async (p, _a, ctx, info) => visibleRows(ctx, info, 'Encounter', await ctx.ehr.encounters(p)),
    carePlans: async (p, _a, ctx, info) => visibleRows(ctx, info, 'CarePlan', await ctx.ehr.carePlans(p)),
    notes: async (p, _a, ctx, info) => visibleRows(ctx, info, 'ClinicalNote', await ctx.ehr.notes(p)),
  },
  Encounter: {
    subject: (e, _a, ctx) => ctx.ehr.patient(e.subjectId),
  },
};

/** The identifier as the kernel says: masked to the last four unless the caller reads identifiers for this row. */
function masked(value: string | null, p: PatientRow, ctx: GatewayContext, field: 'mrn' | 'ssn'): string | null {
  return decideField(ctx.access, 'Patient', field, p.guard).mask === 'LAST_FOUR' ? maskIdentifier(value) : value;
}
