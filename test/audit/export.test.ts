import { randomUUID } from 'node:crypto';
import { validateResource } from '@medplum/core';
import type { AuditEvent as FhirAuditEvent, Bundle } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureFhirDefinitionsIndexed } from '../../connectors/ehr/server/medplum-definitions.js';
import { defaultPolicy } from '../../rules/policy-document.js';
import type { AuditEvent, PhiReadEvent } from '../../src/audit/audit-event.js';
import { exportAuditEvents, type AuditExportFormat } from '../../src/services/audit/audit-export.js';
import { AuditService } from '../../src/services/audit/audit-service.js';
import type { Principal } from '../../src/auth/principal.js';
import { DEFAULT_APPROVAL_RULES } from '../../src/governance/approval-rules.js';
import { functionsFromPolicy } from '../../src/governance/functions.js';
import { memoryStores } from '../../src/stores/create-store.js';
import { updateSetting } from '../../src/services/governance/setting-proposals.js';
import { emergencyStop } from '../../src/services/governance/emergency-actions.js';
import type { GovernanceDeps } from '../../src/services/governance/deps.js';
import { KeyedLock } from '../../src/services/governance/keyed-lock.js';

// Export as NDJSON and as a FHIR R4 Bundle of AuditEvent resources (IHE BALP patterns), each resource validated by
// @medplum/core against the R4 StructureDefinitions; from/to windows; and what an export may mark as exported.

const policy = defaultPolicy();
const functionOfRole = (role: string) => policy.roles[role]?.function;
const T0 = Date.parse('2026-03-01T08:00:00.000Z');
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const who = (sub: string, roles: string[]): Principal => ({
  sub,
  tenant: 'acme',
  kind: 'user',
  roles,
  departments: [],
  mfa: true,
  scopes: null,
  grants: [],
});

const read = (at: number, patientId: string, roles: string[], breakGlass = false): PhiReadEvent => ({
  category: 'phi-read',
  at: iso(at),
  tenant: 'acme',
  action: 'phi.read',
  outcome: 'success',
  actor: { sub: `${roles[0]}-1`, kind: 'user', roles },
  requestId: randomUUID(),
  patientId,
  dataClasses: ['demographics', 'notes'],
  fields: ['Patient.name', 'Patient.notes'],
  operation: 'Chart',
  breakGlass,
});

let audit: AuditService;

beforeAll(async () => {
  ensureFhirDefinitionsIndexed();
  const stores = memoryStores();
  const store = stores.governance;
  let now = T0 + 3 * HOUR;
  audit = new AuditService({ stores, hmacKey: 'k', now: () => now });
  await audit.write('acme', [read(T0, 'p1', ['clinician']), read(T0, 'p2', ['clinician'])]); // seq 1: a list query
  await audit.write('acme', [read(T0 + HOUR, 'p3', ['clinician'], true)]); // seq 2: break-glass
  await audit.write('acme', [read(T0 + 2 * HOUR, 'p1', ['billing-manager'])]); // seq 3
  const svc: GovernanceDeps = {
    store,
    rules: DEFAULT_APPROVAL_RULES,
    functionsOf: functionsFromPolicy(policy),
    now: () => now,
    newId: () => randomUUID(),
    locks: new KeyedLock(),
  };
  await updateSetting(svc, who('ops-1', ['ops-manager']), {
    key: 'messaging.officeHours',
    environment: 'STAGING',
    value: { timezone: 'UTC', weekly: [] },
    reason: 'winter',
  });
  now += HOUR;
  await emergencyStop(svc, who('sec-1', ['security-admin']), {
    target: 'connector:ehr',
    environment: 'PRODUCTION',
    reason: 'duplicate notes',
  });
  const failed: AuditEvent = {
    category: 'auth',
    at: iso(now),
    tenant: 'acme',
    action: 'auth.failed',
    outcome: 'failure',
    actor: { sub: 'mallory', kind: 'unverified' },
    reason: 'BAD_SIGNATURE',
  };
  await audit.write('acme', [failed]);
});

async function run(format: AuditExportFormat, from: number | null = null, to: number | null = null) {
  let text = '';
  const summary = await exportAuditEvents(
    audit,
    { tenant: 'acme', format, from, to, functionOfRole, now: () => T0 + 10 * HOUR },
    async (c) => void (text += c),
  );
  return { text, summary };
}

const codeOf = (c: { system?: string; code?: string } | undefined) => `${c?.system?.split('/').at(-1)}#${c?.code}`;

describe('audit export', () => {
  it('ndjson: one event per line with its record seq and index, oldest first', async () => {
    const { text, summary } = await run('ndjson');
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; index: number; category: string; action: string; patientId?: string });
    // A LOW-risk staging change applies in the commit that proposes it: one record, two events.
    expect(lines.map((l) => `${l.seq}.${l.index} ${l.action}`)).toEqual([
      '1.0 phi.read',
      '1.1 phi.read',
      '2.0 phi.read',
      '3.0 phi.read',
      '4.0 change.proposed',
      '4.1 change.applied',
      '5.0 emergency.stopped',
      '6.0 auth.failed',
    ]);
    expect(lines[0]).toMatchObject({ category: 'phi-read', patientId: 'p1', tenant: 'acme' });
    expect(summary).toEqual({ records: 6, events: 8, coveredUpTo: 6 });
  });

  it('fhir: a collection Bundle of AuditEvents that validate against R4, mapped per BALP', async () => {
    const { text } = await run('fhir');
    const bundle = JSON.parse(text) as Bundle<FhirAuditEvent>;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection', timestamp: iso(T0 + 10 * HOUR) });
    expect(() => validateResource(bundle)).not.toThrow();
    const resources = bundle.entry!.map((e) => e.resource!);
    for (const r of resources) expect(() => validateResource(r), JSON.stringify(r)).not.toThrow();
    // The control: the validator does reject a missing required element and a malformed instant. It does not check
    // codes against required value sets (no terminology loaded), so those are checked here.
    const { source: _source, ...withoutSource } = resources[0]!;
    expect(() => validateResource(withoutSource as FhirAuditEvent)).toThrow(/source/);
    expect(() => validateResource({ ...resources[0]!, recorded: 'yesterday' })).toThrow();
    for (const r of resources) {
      expect(['C', 'R', 'U', 'D', 'E']).toContain(r.action); // http://hl7.org/fhir/R4/valueset-audit-event-action.html
      expect(['0', '4', '8', '12']).toContain(r.outcome); // http://hl7.org/fhir/R4/valueset-audit-event-outcome.html
    }

    const [p1, , breakGlass, billing] = resources;
    expect(p1).toMatchObject({
      id: '1-0',
      action: 'R',
      outcome: '0',
      recorded: iso(T0),
      source: { site: 'acme', observer: { display: 'Clearance gateway' } },
    });
    expect(codeOf(p1!.type)).toBe('DCM#110110');
    expect(codeOf(p1!.subtype?.[0])).toBe('restful-interaction#search');
    expect(p1!.agent[0]).toMatchObject({
      requestor: true,
      who: { identifier: { value: 'clinician-1' } },
      purposeOfUse: [{ coding: [{ code: 'TREAT' }] }],
    });
    expect(codeOf(p1!.agent[0]!.type?.coding?.[0])).toBe('v3-ParticipationType#IRCP');
    expect(p1!.entity![0]).toMatchObject({ what: { reference: 'Patient/p1' }, type: { code: '1' }, role: { code: '1' } });
    expect(p1!.entity![0]!.detail).toContainEqual({ type: 'dataClasses', valueString: 'demographics notes' });
    expect(codeOf(breakGlass!.subtype?.[0])).toBe('restful-interaction#read');
    expect(breakGlass!.agent[0]!.purposeOfUse?.[0]?.coding?.[0]?.code).toBe('ETREAT');
    expect(billing!.agent[0]!.purposeOfUse?.[0]?.coding?.[0]?.code).toBe('HPAYMT');

    const changes = resources.filter((r) => codeOf(r.type) === 'audit-event-type#rest');
    expect(changes.map((r) => `${r.action} ${codeOf(r.subtype?.[0])}`)[0]).toBe('C restful-interaction#create');
    expect(changes[0]!.entity![0]).toMatchObject({ what: { identifier: { value: 'setting:messaging.officeHours' } } });
    expect(changes[0]!.entity![0]!.detail!.map((d) => d.type)).toEqual(
      expect.arrayContaining(['changeId', 'status', 'before', 'after', 'reason']),
    );

    const stop = resources.at(-2)!;
    expect([codeOf(stop.type), codeOf(stop.subtype?.[0]), stop.action]).toEqual(['DCM#110100', 'DCM#110121', 'E']);
    const login = resources.at(-1)!;
    expect([codeOf(login.type), codeOf(login.subtype?.[0]), login.outcome, login.outcomeDesc]).toEqual([
      'DCM#110114',
      'DCM#110122',
      '4',
      'token verification failed: BAD_SIGNATURE',
    ]);
    expect(login.agent[0]!.who?.display).toMatch(/unverified/);
  });

  it('from/to select a window [from, to) and mark only a complete prefix as exported', async () => {
    const window = await run('ndjson', T0 + HOUR, T0 + 2 * HOUR + 1);
    expect(window.text.trimEnd().split('\n').map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([2, 3]);
    // Record 1 was left out: nothing may count as exported.
    expect(window.summary.coveredUpTo).toBe(0);
    const upTo = await run('fhir', null, T0 + HOUR);
    expect((JSON.parse(upTo.text) as Bundle).entry!.map((e) => e.resource!.id)).toEqual(['1-0', '1-1']);
    expect(upTo.summary.coveredUpTo).toBe(1);
    // Once everything up to 3 was exported, a later window covers the whole log.
    await audit.markExported('acme', 3);
    const rest = await run('ndjson', T0 + 2 * HOUR + 1);
    expect(rest.summary.coveredUpTo).toBe((await audit.meta('acme')).headSeq);
  });
});
