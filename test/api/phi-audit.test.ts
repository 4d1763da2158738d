import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhiReadEvent } from '../../src/audit/audit-event.js';
import { parseRecord } from '../../src/audit/audit-records.js';
import { memoryStores } from '../../src/stores/create-store.js';
import { failingStores } from '../support/failing-store.js';
import { startHarness, type Harness } from '../support/harness.js';

// One PHI-read event per request and patient, never per field; none for a request that read no PHI; and no PHI at
// all when its audit record cannot be written.
let h: Harness;
const inner = memoryStores();
const { stores, failWrites } = failingStores(inner);
beforeAll(async () => {
  h = await startHarness({ stores });
});
afterAll(() => h.stop());

async function events(): Promise<PhiReadEvent[]> {
  const raw = await inner.audit.records('acme', 1, 10_000);
  return raw.flatMap((r) => parseRecord(r)?.events ?? []).filter((e): e is PhiReadEvent => e.category === 'phi-read');
}

const ALL_DEPTS = ['cardiology', 'oncology', 'pediatrics', 'primary-care'];

describe('PHI-read audit', () => {
  it('a query reading eight patients\' notes writes eight events, one per patient, not one per field, in one record', async () => {
    const records = (await inner.audit.meta('acme')).headSeq;
    const before = (await events()).length;
    const t = await h.token({ roles: ['clinician'], departments: ALL_DEPTS, sub: 'dr-audit', grants: ['sensitive'] });
    const r = await h.gql<{ patients: { edges: { node: { id: string } }[] } }>(
      t,
      'query ReadNotes { patients(first: 10) { edges { node { id name notes { title text } conditions { code } } } } }',
    );
    expect(r.body.errors).toBeUndefined();
    const ids = r.body.data!.patients.edges.map((e) => e.node.id);
    expect(ids.length).toBe(8);
    const written = (await events()).slice(before);
    expect(written).toHaveLength(8);
    expect(written.map((e) => e.patientId).sort()).toEqual([...ids].sort());
    expect((await inner.audit.meta('acme')).headSeq).toBe(records + 1);
    for (const e of written) {
      expect(e).toMatchObject({
        actor: { sub: 'dr-audit', roles: ['clinician'] },
        operation: 'ReadNotes',
        breakGlass: false,
        tenant: 'acme',
      });
      expect(e.dataClasses).toEqual(expect.arrayContaining(['demographics', 'notes']));
      expect(e.fields).toEqual(expect.arrayContaining(['Patient.notes', 'ClinicalNote.text', 'Patient.name']));
      // Names of fields, never their values.
      expect(JSON.stringify(e)).not.toMatch(/"text":/);
    }
  });

  it('denied fields are not recorded as read', async () => {
    const before = (await events()).length;
    const t = await h.token({ roles: ['front-desk'], sub: 'fd-audit' });
    await h.gql(t, '{ patients(first: 2) { edges { node { name notes { text } } } } }');
    const written = (await events()).slice(before);
    expect(written).toHaveLength(2);
    for (const e of written) expect(e.dataClasses).toEqual(['demographics']);
  });

  it('a query reading no PHI writes none', async () => {
    const before = (await events()).length;
    const t = await h.token({ roles: ['marketing-analyst'] });
    const r = await h.gql(t, '{ me { sub } patientStatistics { total } }');
    expect(r.body.errors).toBeUndefined();
    expect((await events()).length).toBe(before);
  });

  it('no audit, no PHI: when the audit write fails the response carries no data', async () => {
    const t = await h.token({ roles: ['clinician'], departments: ALL_DEPTS });
    failWrites(true);
    try {
      const r = await h.gql(t, '{ patients(first: 3) { edges { node { name notes { text } } } } }');
      expect(r.status).toBe(503);
      expect(r.body.data ?? null).toBeNull();
      expect(r.body.errors?.[0]?.extensions?.code).toBe('AUDIT_UNAVAILABLE');
    } finally {
      failWrites(false);
    }
    const ok = await h.gql(t, '{ patients(first: 1) { edges { node { name } } } }');
    expect(ok.body.errors).toBeUndefined();
  });

  it('no audit, no change: a governed change whose commit fails is not applied', async () => {
    const t = await h.token({ roles: ['ops-manager'] });
    failWrites(true);
    try {
      const r = await h.gql(
        t,
        'mutation { updateSetting(input: { key: "messaging.officeHours", environment: STAGING, value: { timezone: "UTC", weekly: [] }, ' +
        'reason: "x" }) { status } }',
      );
      expect(r.body.errors?.[0]?.extensions?.code).toBe('STORE_UNAVAILABLE');
    } finally {
      failWrites(false);
    }
    expect(await inner.governance.history('acme', { environment: 'STAGING', id: 'setting:messaging.officeHours' })).toEqual([]);
  });
});
