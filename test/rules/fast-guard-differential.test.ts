import { execute, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEhrConnector } from '../../connectors/ehr/create-ehr-connector.js';
import type { EmbeddedFhirServer } from '../../connectors/ehr/embedded-fhir-server.js';
import type { EhrConnector } from '../../connectors/ehr/ehr-reader.js';
import { compilePrincipalPolicy } from '../../rules/decide.js';
import type { StoredAccess } from '../../rules/stored-access.js';
import { PermissionCache } from '../../rules/permission-cache.js';
import { defaultPolicy } from '../../rules/policy-document.js';
import { PhiReadCollector } from '../../src/audit/phi-read-collector.js';
import type { Principal } from '../../src/auth/principal.js';
import type { GatewayContext } from '../../src/context/context.js';
import { buildGuardedSchema } from '../../src/server/build-schema.js';
import { CompiledExecution } from '../../src/server/compiled-execution.js';
import { CARROLL, CHET, DENNIS, FRANKIE, LEAN, startDefaultServer } from '../connectors/ehr/helpers.js';
import { MATRIX, NO_PATIENT_ACCESS } from '../support/role-field-matrix.js';

// Differential test: the fast guard (shipped) and the graphql-shield tree (reference) must return the same data, the
// same errors at the same paths with the same codes and reasons, and record the same PHI reads, for every role and
// for a few hundred random operations over the patient graph. The fast guard is run by graphql-js and compiled by
// graphql-jit (src/server/compiled-execution.ts, the gateway's default engine): both must match the shield tree.

let fhir: EmbeddedFhirServer;
let ehr: EhrConnector;
let fast: GraphQLSchema;
let shield: GraphQLSchema;
let jit: CompiledExecution;
const policy = defaultPolicy();

beforeAll(async () => {
  fhir = await startDefaultServer();
  ehr = createEhrConnector({ baseUrls: fhir.baseUrls(), timeoutMs: 5_000 });
  fast = buildGuardedSchema('fast');
  shield = buildGuardedSchema('shield');
  jit = new CompiledExecution(fast, { engine: 'jit', compileAfter: 1, onExecute: (path) => expect(path).toBe('jit') });
}, 60_000);
afterAll(() => fhir.stop());

/** Stored access of some principals (break-glass, department-scoped grants): rows decided per patient, not per department. */
const STORED = new WeakMap<Principal, StoredAccess>();

function context(p: Principal): GatewayContext {
  const stored = STORED.get(p);
  return {
    requestId: 'r',
    principal: p,
    access: compilePrincipalPolicy(policy, p, stored ? { stored } : {}),
    ehr: ehr.forRequest(p.tenant),
    limits: { defaultPageSize: 20, maxPageSize: 100, suppressionThreshold: 5 },
    phiReads: new PhiReadCollector(),
    permissionCache: new PermissionCache(),
    governance: undefined as never,
    audit: undefined as never,
    connectors: undefined as never,
    accessAdmin: undefined as never,
    cursors: undefined as never,
  } as GatewayContext;
}

interface Outcome {
  data: unknown;
  errors: string[];
  phi: unknown;
}

async function run(schema: GraphQLSchema | CompiledExecution, p: Principal, query: string): Promise<Outcome> {
  const ctx = context(p);
  const document = parse(query);
  const r = schema instanceof CompiledExecution
    ? await schema.execute({ document, contextValue: ctx })
    : ((await execute({ schema, document, contextValue: ctx })) as ExecutionResult);
  const errors = (r.errors ?? [])
    .map(
      (e) =>
        (`${JSON.stringify(e.path)} ${String(e.extensions.code)} ${String(e.extensions.dataClass ?? '')} ` +
        `${String(e.extensions.failedScope ?? '')} ${e.message}`),
    )
    .sort();
  const phi = ctx.phiReads.events({ tenant: p.tenant, actor: { sub: p.sub }, operation: null, requestId: 'r', at: 'now' });
  return { data: r.data, errors, phi };
}

const principal = (roles: string[], over: Partial<Principal> = {}): Principal => ({
  sub: 'u', tenant: 'acme', kind: 'user', roles, departments: ['cardiology'], mfa: false, scopes: null, grants: [], ...over,
});

const PRINCIPALS: Principal[] = [
  ...Object.entries(MATRIX).map(([role, spec]) => principal([role], { kind: spec.kind })),
  ...NO_PATIENT_ACCESS.map((role) => principal([role])),
  principal(['clinician'], { departments: ['oncology', 'primary-care'], grants: ['sensitive'] }),
  principal(['clinician'], { scopes: ['user/Patient.rs', 'user/Observation.rs'] }),
  principal(['clinician'], { kind: 'agent' }),
  principal(['nurse', 'billing-manager'], { departments: ['oncology'] }),
  principal(['clinician'], { tenant: 'globex', departments: ['oncology'] }),
  withStored(principal(['clinician'], { sub: 'bg' }), { breakGlass: [{ id: 'bg-1', patientId: CARROLL }] }),
  withStored(principal(['nurse'], { sub: 'tg', departments: ['primary-care'] }), {
    temporaryGrants: [{ id: 'g-1', grant: 'sensitive', departments: ['primary-care'] }],
    breakGlass: [{ id: 'bg-2', patientId: DENNIS }],
  }),
];

function withStored(p: Principal, stored: Partial<StoredAccess>): Principal {
  STORED.set(p, { standing: null, temporaryRoles: [], temporaryGrants: [], breakGlass: [], ...stored } as StoredAccess);
  return p;
}

// A small seeded PRNG, so a failure names a reproducible operation.
function prng(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

const LISTS: Record<string, string> = {
  conditions: '{ id code display sensitive onsetDate }',
  observations: '(count: 2) { code value unit }',
  medications: '{ medication status }',
  allergies: '{ substance }',
  immunizations: '{ vaccine date }',
  encounters: '{ id type subject { name notes { title } } }',
  carePlans: '{ title activities }',
  notes: '{ kind title text }',
  coverage: '{ payer subscriberId }',
  claims: '{ total patient { name ssn conditions { display } } }',
  explanationOfBenefits: '{ payment }',
  address: '{ city }',
  telecom: '{ value }',
};
const SCALARS = ['id', 'name', 'gender', 'birthDate', 'department', 'mrn', 'ssn'];

function randomSelection(rand: () => number): string {
  const fields = [...SCALARS, ...Object.keys(LISTS)].filter(() => rand() < 0.35);
  if (fields.length === 0) fields.push('name');
  return fields.map((f, i) => `${rand() < 0.2 ? `a${i}: ` : ''}${f} ${LISTS[f] ?? ''}`).join(' ');
}

function randomOperation(rand: () => number): string {
  const sel = randomSelection(rand);
  const id = [CHET, DENNIS, CARROLL, FRANKIE, LEAN][Math.floor(rand() * 5)];
  switch (Math.floor(rand() * 5)) {
    case 0:
      return `{ patient(id: "${id}") { ${sel} } }`;
    case 1:
      return `{ patients(first: 4) { edges { node { ${sel} } } } }`;
    case 2:
      return `{ node(id: "Patient/${id}") { ... on Patient { ${sel} } } }`;
    case 3:
      return `query { patient(id: "${id}") { ...P } } fragment P on Patient { ${sel} }`;
    default:
      return `{ patient(id: "${id}") { encounters { subject { ${sel} } } } me { roles } patientStatistics { total } }`;
  }
}

describe('fast guard == graphql-shield tree', () => {
  it('for every principal, on the all-fields query of an in- and an out-of-department patient', async () => {
    const all = `{ patient(id: "ID") { ${SCALARS.join(' ')} ${Object.entries(LISTS).map(([f, s]) => `${f} ${s}`).join(' ')} } }`;
    for (const p of PRINCIPALS) {
      for (const id of [DENNIS, CARROLL]) {
        const q = all.replace('ID', id);
        const reference = await run(shield, p, q);
        expect(await run(fast, p, q), `${p.roles.join('+')} ${p.kind} ${id}`).toEqual(reference);
        expect(await run(jit, p, q), `jit ${p.roles.join('+')} ${p.kind} ${id}`).toEqual(reference);
      }
    }
  }, 120_000);

  // The nested lists a frontend sends (every patient with their conditions, observations, encounters and the
  // encounters' subjects): child rows are decided once per patient guard (rules/permission-cache.ts) and row
  // decisions shared by patients of the same departments (rules/decide.ts), unless break-glass opens one patient.
  it('for every principal, on every patient of the tenant with their nested lists', async () => {
    const lists = Object.entries(LISTS).map(([f, s]) => `${f} ${s}`).join(' ');
    const nested = `{ patients(first: 20) { edges { node { id name mrn ${lists} } } } }`;
    for (const p of PRINCIPALS) {
      expect(await run(fast, p, nested), `${p.sub} ${p.roles.join('+')} ${p.kind}`).toEqual(await run(shield, p, nested));
    }
  }, 120_000);

  it('for 200 random operations across principals', async () => {
    const rand = prng(42);
    for (let i = 0; i < 200; i++) {
      const p = PRINCIPALS[Math.floor(rand() * PRINCIPALS.length)]!;
      const q = randomOperation(rand);
      const reference = await run(shield, p, q);
      expect(await run(fast, p, q), `#${i} ${p.roles.join('+')}: ${q}`).toEqual(reference);
      expect(await run(jit, p, q), `jit #${i} ${p.roles.join('+')}: ${q}`).toEqual(reference);
    }
  }, 120_000);
});
