import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DENNIS } from '../connectors/ehr/helpers.js';
import { startHarness, type GqlResponse, type Harness } from '../support/harness.js';

// Finding 7a: bad input is a clear client error, not an upstream failure. Every string argument that ends up in an
// upstream FHIR request (a path segment, a header, a search parameter) is checked first: BAD_USER_INPUT naming the
// argument with a stable reason, and not one request reaches the FHIR server for a refused input.

let h: Harness;
let clin: string;

beforeAll(async () => {
  h = await startHarness({ env: { GATEWAY_ENVIRONMENT: 'STAGING' } });
  clin = await h.token({ sub: 'dr-grey', roles: ['clinician'], departments: ['cardiology', 'oncology', 'pediatrics', 'primary-care'] });
}, 60_000);
afterAll(() => h.stop());

const NOTE = `mutation($p: ID!, $i: WriteBackNoteInput!) { writeBackNote(patientId: $p, input: $i) { id } }`;
const OBS = `mutation($p: ID!, $i: RecordObservationInput!) { recordObservation(patientId: $p, input: $i) { id } }`;
const MED = `mutation($p: ID!, $i: ProposeMedicationRequestInput!) { proposeMedicationRequest(patientId: $p, input: $i) { status } }`;
const PATIENTS = `query($n: String) { patients(first: 5, name: $n) { edges { node { id } } } }`;
const OBSERVATIONS = `query($id: ID!, $c: String) { patient(id: $id) { id observations(code: $c) { id } } }`;
const PATIENT = `query($id: ID!) { patient(id: $id) { id } }`;

const noteInput = (extra: Record<string, unknown>) => ({ idempotencyKey: 'k-1', title: 'Follow-up', text: 'Stable.', ...extra });

/** The common bad values of any argument: CR/LF (header injection), NUL and other controls, over-long. */
const CONTROL = { crlf: 'x\r\nX-Injected: y', lf: 'a\nb', nul: 'a\u0000b', tab: 'a\tb', del: 'a\u007fb', c1: 'a\u0085b', lsep: 'a\u2028b' };

interface Arg {
  readonly query: string;
  readonly vars: (value: string) => Record<string, unknown>;
  readonly path: string;
  readonly field: string;
  /** The reason, when the argument has one (ids of reads keep their plain BAD_USER_INPUT { field }). */
  readonly reasons: { readonly control: string | null; readonly long: string | null };
  /** Longer than allowed. */
  readonly long: string;
  /** More over-long values (just over the limit). */
  readonly longer?: readonly string[];
  readonly extra?: Record<string, string>;
  /** Requests that this argument would cause (the rest of the operation may read a patient first). */
  readonly upstream: (url: string) => boolean;
}

const ANY = () => true;
const ARGS: Record<string, Arg> = {
  'writeBackNote input.expectedVersion (If-Match header)': {
    query: NOTE,
    vars: (v) => ({ p: DENNIS, i: noteInput({ documentId: 'note-1', expectedVersion: v }) }),
    path: 'writeBackNote',
    field: 'expectedVersion',
    reasons: { control: 'INVALID_VERSION_ID', long: 'INVALID_VERSION_ID' },
    long: '1'.repeat(65),
    extra: { quote: '1"', weak: 'W/"1"', space: '1 2', empty: '' },
    upstream: ANY,
  },
  'writeBackNote input.documentId (path)': {
    query: NOTE,
    vars: (v) => ({ p: DENNIS, i: noteInput({ documentId: v, expectedVersion: '1' }) }),
    path: 'writeBackNote',
    field: 'documentId',
    reasons: { control: 'INVALID_ID', long: 'INVALID_ID' },
    long: 'x'.repeat(65),
    extra: { traversal: '../Patient', query: 'a?_id=1', slash: 'DocumentReference/a' },
    upstream: ANY,
  },
  'writeBackNote patientId (path, search)': {
    query: NOTE,
    vars: (v) => ({ p: v, i: noteInput({}) }),
    path: 'writeBackNote',
    field: 'patientId',
    reasons: { control: 'INVALID_ID', long: 'INVALID_ID' },
    long: 'x'.repeat(65),
    extra: { comma: `${DENNIS},other` },
    upstream: ANY,
  },
  'recordObservation patientId': {
    query: OBS,
    vars: (v) => ({ p: v, i: { idempotencyKey: 'k-2', code: '8867-4', display: 'Heart rate', value: 72, unit: '/min' } }),
    path: 'recordObservation',
    field: 'patientId',
    reasons: { control: 'INVALID_ID', long: 'INVALID_ID' },
    long: 'x'.repeat(65),
    upstream: ANY,
  },
  'proposeMedicationRequest patientId': {
    query: MED,
    vars: (v) => ({ p: v, i: { idempotencyKey: 'k-3', medication: 'Lisinopril 10 MG Oral Tablet', dosage: 'once daily' } }),
    path: 'proposeMedicationRequest',
    field: 'patientId',
    reasons: { control: 'INVALID_ID', long: 'INVALID_ID' },
    long: 'x'.repeat(65),
    upstream: ANY,
  },
  'patients name (search parameter)': {
    query: PATIENTS,
    vars: (v) => ({ n: v }),
    path: 'patients',
    field: 'name',
    reasons: { control: 'CONTROL_CHARACTER', long: 'TOO_LONG' },
    long: 'x'.repeat(200 * 1024),
    longer: ['x'.repeat(201)],
    extra: { lone: 'a\ud800b' },
    upstream: ANY,
  },
  'Patient.observations code (search parameter)': {
    query: OBSERVATIONS,
    vars: (v) => ({ id: DENNIS, c: v }),
    path: 'patient.observations',
    field: 'code',
    reasons: { control: 'CONTROL_CHARACTER', long: 'TOO_LONG' },
    long: '8'.repeat(201),
    upstream: (url) => url.startsWith('Observation'),
  },
  'patient id (path, search)': {
    query: PATIENT,
    vars: (v) => ({ id: v }),
    path: 'patient',
    field: 'id',
    reasons: { control: null, long: null },
    long: 'x'.repeat(65),
    upstream: ANY,
  },
};

const cases = Object.entries(ARGS).flatMap(([name, arg]) => [
  ...Object.entries(CONTROL).map(([kind, value]) => [name, kind, value, arg.reasons.control] as const),
  [name, 'over-long', arg.long, arg.reasons.long] as const,
  ...(arg.longer ?? []).map((value) => [name, `over-long (${value.length})`, value, arg.reasons.long] as const),
  ...Object.entries(arg.extra ?? {}).map(([kind, value]) => [name, kind, value, arg.reasons.control] as const),
]);

async function upstreamDuring(arg: Arg, call: () => Promise<GqlResponse>): Promise<{ r: GqlResponse; sent: number }> {
  const from = h.running.fhir!.requests.length;
  const r = await call();
  return { r, sent: h.running.fhir!.requests.slice(from).filter((q) => arg.upstream(q.url)).length };
}

describe('string arguments sent upstream are checked first', () => {
  it.each(cases)('%s, %s: BAD_USER_INPUT naming it, nothing sent upstream', async (name, _kind, value, reason) => {
    const arg = ARGS[name]!;
    const { r, sent } = await upstreamDuring(arg, () => h.gql(clin, arg.query, arg.vars(value)));
    expect(r.status).toBe(200);
    const errors = r.body.errors ?? [];
    expect(errors, JSON.stringify(r.body).slice(0, 500)).toHaveLength(1);
    expect(errors[0]!.path?.join('.')).toBe(arg.path);
    expect(errors[0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', field: arg.field, ...(reason ? { reason } : {}) });
    // The value is never echoed back (it can be PHI).
    if (value.length > 3) expect(errors[0]!.message).not.toContain(value);
    expect(sent).toBe(0);
  });

  it('values at the limits still go through', async () => {
    for (const n of ['x'.repeat(200), 'Müller', 'Dennis', 'O\'Brien 😀']) {
      const r = await h.gql(clin, PATIENTS, { n });
      expect(r.body.errors, n).toBeUndefined();
    }
    for (const c of ['8867-4', 'http://loinc.org|8867-4']) {
      const r = await h.gql(clin, OBSERVATIONS, { id: DENNIS, c });
      // Only the notice a code search always carries for a caller without the sensitive grant (visibleRowsOfSearch).
      expect((r.body.errors ?? []).map((e) => e.extensions?.withheld), c).toEqual([true]);
    }
    // A well-formed version of a well-formed unknown note is asked upstream and is simply not there.
    const r = await h.gql(clin, NOTE, { p: DENNIS, i: noteInput({ documentId: 'x'.repeat(64), expectedVersion: 'A-1.b' }) });
    expect(r.body.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', resource: 'DocumentReference' });
  });
});
