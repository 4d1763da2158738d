import type { DocumentReference, Provenance } from '@medplum/fhirtypes';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedFhirServer } from '../../../connectors/ehr/embedded-fhir-server.js';
import { FhirWriter, type WriteTarget } from '../../../connectors/ehr/write/fhir-writer.js';
import { noteResource } from '../../../connectors/ehr/write/write-resources.js';
import { ConnectorError } from '../../../connectors/common/connector-error.js';
import { DENNIS, startDefaultServer } from './helpers.js';

// The write side of the EHR connector against the embedded FHIR server over HTTP: conditional create, If-Match,
// Provenance, and the circuit on faults.

let server: EmbeddedFhirServer;
let target: WriteTarget;
const author = { sub: 'dr-grey', kind: 'user' as const };
const now = '2026-01-02T03:04:05.000Z';
const note = (_label: string) => noteResource(DENNIS, { title: 'Follow-up', text: 'BP stable.', docStatus: 'final' }, now);

beforeAll(async () => {
  server = await startDefaultServer();
  target = { tenant: 'acme', baseUrl: server.baseUrl('acme') };
});
afterEach(async () => {
  server.setFault('none');
  if (!server.listening) await server.start();
});
afterAll(() => server.stop());

const writer = (overrides: Partial<ConstructorParameters<typeof FhirWriter>[0]> = {}) =>
  new FhirWriter({
    timeoutMs: 500,
    retry: { attempts: 2, baseDelayMs: 5 },
    circuit: { failureThreshold: 3, coolDownMs: 200 },
    ...overrides,
  });

describe('FhirWriter', () => {
  it('creates once per idempotency key, with a Provenance naming the author', async () => {
    const w = writer();
    const first = await w.create(target, note('t1'), 'key-1', author, now);
    const again = await w.create(target, note('t1'), 'key-1', author, now);
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ id: first.id, created: false });
    expect(await w.countByToken(target, 'DocumentReference', 'key-1')).toBe(1);
    const all = (await server
      .repository('acme')
      .searchResources({ resourceType: 'Provenance', filters: [], count: 1000 })) as unknown as Provenance[];
    const provenance = all.filter((p) =>
      p.target?.some((t) => t.reference?.startsWith(`DocumentReference/${first.id}`)),
    );
    expect(provenance).toHaveLength(1);
    expect(provenance[0]!.agent[0]!.who?.identifier?.value).toBe('dr-grey');
  });

  it('updates with If-Match and refuses a stale version with CONFLICT', async () => {
    const w = writer();
    const created = await w.create(target, note('t2'), 'key-2', author, now);
    const current = (await w.read(target, 'DocumentReference', created.id)) as DocumentReference & { id: string };
    const updated = await w.update(target, { ...current, description: 'amended' }, created.versionId!, 'upd-1', author, now);
    expect(updated.versionId).not.toBe(created.versionId);
    const stale = await w
      .update(target, { ...current, description: 'stale' }, created.versionId!, 'upd-2', author, now)
      .catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ConnectorError);
    expect((stale as ConnectorError).kind).toBe('CONFLICT');
    expect((await w.read(target, 'DocumentReference', created.id)).meta?.versionId).toBe(updated.versionId);
  });

  it.each([
    ['down', 'UNAVAILABLE'],
    ['error500', 'UNAVAILABLE'],
    ['slow', 'TIMEOUT'],
  ] as const)('fails with %s as %s, writes nothing, opens the circuit and recovers', async (fault, kind) => {
    const w = writer();
    const before = server.requests.length;
    server.setFault(fault, { delayMs: 2_000 });
    for (let i = 0; i < 2; i++) {
      const e = await w.create(target, note(`f-${fault}`), `fault-${fault}`, author, now).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ConnectorError);
      expect((e as ConnectorError).kind).toBe(kind);
      expect((e as Error).message).not.toMatch(/Secretpatient|OperationOutcome|999-12-3456/);
    }
    expect(w.resilience('acme')!.breaker.state).toBe('OPEN');
    const sent = server.requests.length - before;
    const failFast = await w.create(target, note(`f-${fault}`), `fault-${fault}`, author, now).catch((x: unknown) => x);
    expect((failFast as Error).message).toMatch(/circuit open/);
    expect(server.requests.length - before).toBe(sent);
    server.setFault('none');
    expect(await w.countByToken(target, 'DocumentReference', `fault-${fault}`).catch(() => -1)).toBe(-1); // still open
    await new Promise((r) => setTimeout(r, 250));
    expect(w.resilience('acme')!.breaker.state).toBe('HALF_OPEN');
    expect(await w.countByToken(target, 'DocumentReference', `fault-${fault}`)).toBe(0);
    expect(w.resilience('acme')!.breaker.state).toBe('CLOSED');
    const written = await w.create(target, note(`f-${fault}`), `fault-${fault}`, author, now);
    expect(written.created).toBe(true);
  });
});
