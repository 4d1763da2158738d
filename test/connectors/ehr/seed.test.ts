import type { Bundle, Condition, Patient, Resource } from '@medplum/fhirtypes';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEPARTMENT_CODES,
  SEED_TAG,
  defaultTenantSeed,
  departmentForPatient,
  loadSyntheaFixtures,
  seedBundles,
  splitBetweenDefaultTenants,
  syntheticPatients,
  toPutBundle,
} from '../../../connectors/ehr/seed.js';
import { hospitalMrn } from '../../../connectors/ehr/seed/hospital-mrn.js';
import { ACT_CODE_SYSTEM } from '../../../connectors/ehr/sensitivity.js';
import { CARROLL, FRANKIE, LEAN, patientIdOf, resourcesOf } from './helpers.js';

let raw: Bundle[];
let tenants: Record<string, Bundle[]>;

beforeAll(async () => {
  raw = await loadSyntheaFixtures();
  tenants = await defaultTenantSeed();
});

function patients(bundles: readonly Bundle[]): Patient[] {
  return resourcesOf(bundles).filter((resource): resource is Patient => resource.resourceType === 'Patient');
}

describe('fixtures', () => {
  it('loads the 16 Synthea bundles in file-name order and splits them 8/8', () => {
    expect(raw).toHaveLength(16);
    expect(patientIdOf(raw[0] as Bundle)).toBe(CARROLL);
    const split = splitBetweenDefaultTenants(raw);
    expect(split['acme']).toHaveLength(8);
    expect(split['globex']).toHaveLength(8);
  });

  it('has MR and SS identifiers on every patient', () => {
    for (const patient of patients(raw)) {
      const codes = patient.identifier?.map((identifier) => identifier.type?.coding?.[0]?.code);
      expect(codes).toContain('MR');
      expect(patient.identifier?.find((identifier) => identifier.system === 'http://hl7.org/fhir/sid/us-ssn')?.value).toMatch(
        /^999-\d\d-\d{4}$/,
      );
    }
  });
});

describe('toPutBundle', () => {
  it('keeps Synthea ids, turns POSTs into PUTs and leaves no urn:uuid reference', () => {
    const source = raw[1] as Bundle;
    const before = JSON.stringify(source);
    const put = toPutBundle(source);
    expect(JSON.stringify(source)).toBe(before);
    expect(put.type).toBe('batch');
    expect(put.entry?.length).toBe(source.entry?.length);
    for (const entry of put.entry ?? []) {
      expect(entry.request).toEqual({ method: 'PUT', url: `${entry.resource?.resourceType}/${entry.resource?.id}` });
    }
    expect(JSON.stringify(put)).not.toContain('urn:uuid:');
    const ids = new Set((source.entry ?? []).map((entry) => entry.fullUrl?.slice('urn:uuid:'.length)));
    expect(new Set((put.entry ?? []).map((entry) => entry.resource?.id))).toEqual(ids);
  });
});

describe('seed', () => {
  it('gives every patient a department Organization, and every department patients in both tenants', () => {
    for (const [tenant, bundles] of Object.entries(tenants)) {
      const orgs = resourcesOf(bundles).filter((resource) => resource.resourceType === 'Organization' && resource.id?.startsWith('dept-'));
      expect(orgs.map((org) => org.id).sort(), tenant).toEqual(DEPARTMENT_CODES.map((code) => `dept-${code}`));
      const assigned = new Set(patients(bundles).map((patient) => patient.managingOrganization?.reference));
      expect([...assigned].sort(), tenant).toEqual(DEPARTMENT_CODES.map((code) => `Organization/dept-${code}`));
    }
  });

  it('assigns unknown patients by a stable hash', () => {
    expect(departmentForPatient('some-new-patient')).toBe(departmentForPatient('some-new-patient'));
    const spread = new Set(Array.from({ length: 40 }, (_, i) => departmentForPatient(`p-${i}`)));
    expect(spread.size).toBe(DEPARTMENT_CODES.length);
  });

  it('labels the sensitive conditions it adds, in both tenants, and tags them as seed-added', () => {
    const sensitive = resourcesOf([...(tenants['acme'] ?? []), ...(tenants['globex'] ?? [])]).filter(
      (resource): resource is Condition => resource.resourceType === 'Condition' && (resource.meta?.security?.length ?? 0) > 0,
    );
    const byPatient = Object.fromEntries(sensitive.map((c) => [c.subject.reference, c.meta?.security?.[0]?.code]));
    expect(byPatient).toEqual({ [`Patient/${CARROLL}`]: 'PSY', [`Patient/${FRANKIE}`]: 'HIV', [`Patient/${LEAN}`]: 'ETH' });
    for (const condition of sensitive) {
      expect(condition.meta?.security?.[0]?.system).toBe(ACT_CODE_SYSTEM);
      expect(condition.meta?.tag).toContainEqual(SEED_TAG);
    }
  });

  it('labels source conditions by SNOMED code', () => {
    const bundle = structuredClone(raw[1] as Bundle);
    const condition = bundle.entry?.find((entry) => entry.resource?.resourceType === 'Condition')?.resource as Condition;
    condition.code = { coding: [{ system: 'http://snomed.info/sct', code: '55680006', display: 'Drug overdose' }] };
    const seeded = resourcesOf(seedBundles([bundle])).find((resource) => resource.id === condition.id);
    expect(seeded?.meta?.security).toEqual([expect.objectContaining({ system: ACT_CODE_SYSTEM, code: 'ETH' })]);
  });

  it('adds one Coverage, one Account and one progress note per patient', () => {
    const all = resourcesOf(Object.values(tenants).flat());
    const count = (type: Resource['resourceType']) => all.filter((resource) => resource.resourceType === type).length;
    expect(count('Patient')).toBe(16);
    expect(count('Coverage')).toBe(16);
    expect(count('Account')).toBe(16);
    expect(count('DocumentReference')).toBe(16);
    const account = all.find((resource) => resource.id === `account-${CARROLL}`);
    expect(account).toMatchObject({
      status: 'active',
      subject: [{ reference: `Patient/${CARROLL}` }],
      owner: { reference: 'Organization/dept-oncology' },
    });
  });
  // Synthea's MRN is the Patient's id, which demographics show unmasked: the masked MRN would be in plain sight.
  // Every seeded patient, originals and clones, in every tenant: a distinct MRN that is not, and is not inside, any id.
  it('gives every patient a hospital MRN that no resource id shows', () => {
    const seeded = [...Object.values(tenants).flat(), ...seedBundles(syntheticPatients(raw, 40))];
    const all = resourcesOf(seeded);
    const ids = all.map((resource) => resource.id ?? '');
    const mrns = patients(seeded).map((patient) => {
      const mrn = patient.identifier?.find((i) => i.type?.coding?.some((c) => c.code === 'MR'))?.value ?? '';
      expect(mrn, patient.id).toBe(hospitalMrn(patient.id!));
      expect(mrn, patient.id).toMatch(/^\d{8}$/);
      return mrn;
    });
    expect(mrns).toHaveLength(56);
    expect(new Set(mrns).size).toBe(56);
    for (const mrn of mrns) expect(ids.filter((id) => id.includes(mrn)), mrn).toEqual([]);
    // Nor computable from the id: keyed by a secret of the process (a hash of the id alone was, found by a tester).
    const module = new URL('../../../connectors/ehr/seed/hospital-mrn.ts', import.meta.url).href;
    const script = `import(${JSON.stringify(module)}).then((m) => console.log(m.hospitalMrn(${JSON.stringify(CARROLL)})))`;
    const elsewhere = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' }).trim();
    expect(elsewhere).toMatch(/^\d{8}$/);
    expect(elsewhere).not.toBe(hospitalMrn(CARROLL));
    // The fixture files themselves are untouched: their MR value is still Synthea's UUID.
    for (const patient of patients(raw)) {
      expect(patient.identifier?.find((i) => i.type?.coding?.[0]?.code === 'MR')?.value).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('syntheticPatients', () => {
  it('clones into distinct, deterministic patients with consistent references', () => {
    const clones = syntheticPatients(raw, 20);
    const again = syntheticPatients(raw, 20);
    const ids = clones.map(patientIdOf);
    expect(new Set(ids).size).toBe(20);
    expect(again.map(patientIdOf)).toEqual(ids);
    expect(ids).not.toContain(CARROLL);
    const seeded = seedBundles(clones);
    const patientRefs = new Set(ids.map((id) => `Patient/${id}`));
    for (const resource of resourcesOf(seeded)) {
      if (resource.resourceType === 'Condition') expect(patientRefs.has(resource.subject.reference ?? '')).toBe(true);
    }
    const ssns = patients(clones).map((patient) => patient.identifier?.find((i) => i.type?.coding?.[0]?.code === 'SS')?.value);
    expect(new Set(ssns).size).toBe(20);
  });
});
