import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  departmentForPatient,
  loadSyntheaFixtures,
  seedBundles,
  splitBetweenDefaultTenants,
  syntheticPatients,
} from '../../connectors/ehr/seed.js';
import { startHarness, type Harness } from '../support/harness.js';

// Issue 17: with OTEL_EXPORTER_OTLP_ENDPOINT set, the gateway exports a span per GraphQL operation, per FHIR search and
// per store commit, each carrying the request id, to a real OTLP/HTTP receiver on loopback. The canary patient
// (test/attacks/phi-canary.test.ts) is read in full; its name, identifiers (SSN, MRN...) and id must appear in no
// exported byte.

const CANARY = 'Zqx-CANARY-7731';

interface Received {
  readonly path: string;
  readonly body: string;
}

let receiver: Server;
const received: Received[] = [];
let h: Harness;
let canary: Patient & { id: string };
let stopped = false;

function canaryBundle(source: Bundle): Bundle {
  const [bundle] = syntheticPatients([source], 1) as [Bundle];
  canary = bundle.entry!.find((e) => e.resource?.resourceType === 'Patient')!.resource as Patient & { id: string };
  canary.name = [{ use: 'official', given: [CANARY], family: CANARY }];
  return bundle;
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const fixtures = await loadSyntheaFixtures();
  const split = splitBetweenDefaultTenants(fixtures);
  const bundle = canaryBundle(fixtures[0]!);
  h = await startHarness({
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint },
    fhirSeed: { acme: seedBundles([...split.acme!, bundle]), globex: seedBundles(split.globex!) },
  });
});
afterAll(async () => {
  if (!stopped) await h.stop();
  await new Promise((resolve) => receiver.close(resolve));
});

interface OtlpSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes?: { key: string; value: { stringValue?: string } }[];
}

function spansOf(bodies: readonly Received[]): OtlpSpan[] {
  return bodies.flatMap((r) => {
    const json = JSON.parse(r.body) as { resourceSpans?: { scopeSpans?: { spans?: OtlpSpan[] }[] }[] };
    return (json.resourceSpans ?? []).flatMap((rs) => (rs.scopeSpans ?? []).flatMap((ss) => ss.spans ?? []));
  });
}

const attr = (s: OtlpSpan, key: string) => s.attributes?.find((a) => a.key === key)?.value.stringValue;

describe('OpenTelemetry traces', () => {
  it('exports operation, FHIR and store spans with the request id, and no PHI of the canary', async () => {
    const t = await h.token({ roles: ['clinician'], departments: [departmentForPatient(canary.id)] });
    // The operation's name is the client's: one that spells the patient's id must not reach a span.
    const chosenName = `Chart_${canary.id.replace(/-/g, '_')}`;
    const chart = `query ${chosenName}($id: ID!) { patient(id: $id) { id name birthDate notes { text } conditions { display } } }`;
    const r = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t}` },
      body: JSON.stringify({ query: chart, variables: { id: canary.id } }),
    });
    const text = await r.text();
    expect(text).toContain(CANARY); // the control: the PHI really went through the traced path
    const requestId = r.headers.get('x-request-id')!;
    await h.gql(t, `{ patients(first: 50, search: "${CANARY}") { edges { node { id name } } } }`);
    await h.stop(); // flushes the exporter
    stopped = true;

    expect(received.length).toBeGreaterThan(0);
    expect(received.every((x) => x.path === '/v1/traces')).toBe(true);
    const spans = spansOf(received);
    const operation = spans.find((s) => s.name === 'graphql.request' && attr(s, 'clearance.request_id') === requestId);
    expect(operation && attr(operation, 'clearance.operation')).toBe('query:patient');
    expect(operation && attr(operation, 'graphql.operation.name')).toBeUndefined();
    // The operation's FHIR searches are its children (one trace per request).
    const children = spans.filter((s) => s.name === 'fhir.search' && s.parentSpanId === operation!.spanId);
    expect(children.length).toBeGreaterThan(0);
    expect(children.every((s) => attr(s, 'clearance.tenant') === 'acme' && s.traceId === operation!.traceId)).toBe(true);
    expect(spans.some((s) => s.name === 'store.commit')).toBe(true);

    const all = received.map((x) => x.body).join('\n');
    const secrets = [CANARY, canary.id, chosenName, ...(canary.identifier ?? []).map((i) => i.value!).filter((v) => v && v.length >= 6)];
    expect(secrets.length).toBeGreaterThan(2);
    for (const s of secrets) expect(all).not.toContain(s);
  });
});
