import { afterAll, beforeAll, expect, it } from 'vitest';
import { LEAN } from '../connectors/ehr/helpers.js';
import { startHarness, type Harness } from '../support/harness.js';

// A tester's finding: for a patient that is not there, explain("break-glass") answered BAD_USER_INPUT where breakGlass
// answers NOT_FOUND. Every explanation about a patient asks one lookup (src/resolvers/explain.ts patientTarget, asked
// only of a caller who may look patients up): for every form of explain that names a patient, an unknown patient of a
// valid id (and another tenant's patient) is NOT_FOUND, as the actions answer.

const ACTIONS = [
  'break-glass', 'read:clinical', 'read:sensitive', 'write:notes', 'write:observations', 'medication:request', 'message:send',
];
const EXPLAIN = 'query ($a: String!, $p: ID!) { explain(action: $a, resource: { patientId: $p }) { decision } }';
const EXPLAIN_FIELD = 'query ($p: ID!) { explainField(type: "Condition", field: "display", patientId: $p) { decision } }';
const BREAK_GLASS = 'mutation ($p: ID!) { breakGlass(patientId: $p, reason: "Unconscious in the ED, no chart") { expiresAt } }';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

it.each(['no-such-patient', 'a5b737fb-1f94-4767-802b-000000000000', LEAN])('unknown patient %s: NOT_FOUND everywhere', async (id) => {
  const dr = await h.token({ sub: 'dr-unknown', roles: ['clinician'], departments: ['cardiology'] });
  const codes = async (query: string, variables: Record<string, unknown>) =>
    (await h.gql(dr, query, variables)).body.errors?.map((e) => e.extensions?.code);
  for (const a of ACTIONS) expect(await codes(EXPLAIN, { a, p: id }), a).toEqual(['NOT_FOUND']);
  expect(await codes(EXPLAIN_FIELD, { p: id })).toEqual(['NOT_FOUND']);
  expect(await codes(BREAK_GLASS, { p: id })).toEqual(['NOT_FOUND']);
});
