import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStores } from '../../src/stores/create-store.js';
import { governanceOn, person } from '../support/governance-fixtures.js';
import { startHarness, type Harness } from '../support/harness.js';
import { ok, refused } from './governance-operations.js';
import { updateSetting, updateSettings } from '../../src/services/governance/setting-proposals.js';
import { approveChange } from '../../src/services/governance/transition.js';
import { runOutbox } from '../../src/services/governance/outbox-worker.js';
import { currentSetting, findChangeRequest } from '../../src/services/governance/reads.js';

// Issue 16 item 6: configureConnector applies all its fields as ONE governed change or none. Over HTTP: a bad field
// among good ones changes nothing; in PRODUCTION the fields queue once (one change, one approval path) and apply
// together on approval, each setting's history naming the same change; a change that moved one of the fields
// meanwhile supersedes the whole configuration, so no field is half-applied. The compound change's risk is the
// highest among its fields (pure service test, since configureConnector's fields share their risk).

const CONFIGURE = `mutation($i: ConfigureConnectorInput!) { configureConnector(input: $i) { changes { key status changeRequestId }
  connector { baseUrl scopes writeBackMappings } } }`;
const CHANGE = `query ($id: ID!) { changeRequest(id: $id) { status risk targetType targetKey diff { path }
  requirement { requiredApprovals } } }`;
const APPROVE = 'mutation ($id: ID!) { approveChange(id: $id) { status } }';
const HISTORY = 'query ($k: String!) { settingHistory(key: $k, environment: PRODUCTION) { version changeId changedBy } }';
const MAPPINGS = [{ source: 'visit-summary', resourceType: 'DocumentReference', mode: 'create' }];

type Change = { key: string; status: string; changeRequestId: string };
let h: Harness;
let eng: string;
beforeAll(async () => {
  h = await startHarness({ env: { GATEWAY_ENVIRONMENT: 'STAGING' } });
  eng = await h.token({ sub: 'eng-ana', roles: ['integration-engineer'], mfa: true });
}, 60_000);
afterAll(() => h?.stop());

const history = async (key: string) =>
  ok<{ settingHistory: { version: number; changeId: string; changedBy: string }[] }>(await h.gql(eng, HISTORY, { k: key })).settingHistory;
const approveAll = async (id: string) => {
  let status = 'PENDING';
  for (const who of [
    await h.token({ sub: 'eng-ben', roles: ['integration-engineer'], mfa: true }),
    await h.token({ sub: 'sec-sam', roles: ['security-admin'], mfa: true }),
  ]) {
    if (status === 'PENDING') status = ok<{ approveChange: { status: string } }>(await h.gql(who, APPROVE, { id })).approveChange.status;
  }
  return status;
};

describe('configureConnector: one change or none', () => {
  it('a bad field among good ones changes nothing and proposes nothing', async () => {
    const before = ok<{ changeRequests: unknown[] }>(await h.gql(eng, '{ changeRequests { id } }')).changeRequests.length;
    for (const bad of [
      { writeBackMappings: [{ source: 'nope', resourceType: 'DocumentReference', mode: 'create' }] },
      { scopes: ['everything'] },
      { baseUrl: 'http://fhir.example/r4' },
    ]) {
      const input = {
        connectorId: 'epic-west',
        environment: 'PRODUCTION',
        baseUrl: 'https://fhir.epic.example/r4',
        scopes: ['system/Patient.rs'],
        writeBackMappings: MAPPINGS,
        reason: 'go-live',
        ...bad,
      };
      expect(refused(await h.gql(eng, CONFIGURE, { i: input }), 'BAD_USER_INPUT').extensions).toMatchObject({ field: Object.keys(bad)[0] });
    }
    for (const f of ['baseUrl', 'scopes', 'writeBackMappings']) expect(await history(`integration.epic-west.${f}`)).toEqual([]);
    expect(ok<{ changeRequests: unknown[] }>(await h.gql(eng, '{ changeRequests { id } }')).changeRequests).toHaveLength(before);
  });

  it('in PRODUCTION queues once and applies every field together on approval; each history names the same change', async () => {
    const input = {
      connectorId: 'epic-west',
      environment: 'PRODUCTION',
      baseUrl: 'https://fhir.epic.example/r4',
      scopes: ['system/Patient.rs', 'system/Observation.rs'],
      writeBackMappings: MAPPINGS,
      reason: 'go-live',
    };
    const r = ok<{ configureConnector: { changes: Change[]; connector: Record<string, unknown> } }>(
      await h.gql(eng, CONFIGURE, { i: input }),
    ).configureConnector;
    expect(r.changes.map((c) => [c.key, c.status])).toEqual([
      ['integration.epic-west.baseUrl', 'PENDING_APPROVAL'],
      ['integration.epic-west.scopes', 'PENDING_APPROVAL'],
      ['integration.epic-west.writeBackMappings', 'PENDING_APPROVAL'],
    ]);
    const ids = new Set(r.changes.map((c) => c.changeRequestId));
    expect(ids.size).toBe(1);
    const [id] = [...ids] as [string];
    // Nothing applies while it waits.
    expect(r.connector).toMatchObject({ baseUrl: null, writeBackMappings: [] });
    type ChangeView = { status: string; risk: string; targetType: string; targetKey: string; diff: { path: string }[] };
    const change = ok<{ changeRequest: ChangeView }>(await h.gql(eng, CHANGE, { id })).changeRequest;
    expect(change).toMatchObject({ status: 'PENDING', risk: 'HIGH', targetType: 'SETTINGS', requirement: { requiredApprovals: 2 } });
    // The target's kind and its keys, not the store's document id.
    expect(change.targetKey).toBe('integration.epic-west.baseUrl,integration.epic-west.scopes,integration.epic-west.writeBackMappings');
    expect(change.diff.map((d) => d.path.split('/')[1])).toEqual(
      expect.arrayContaining(['integration.epic-west.baseUrl', 'integration.epic-west.scopes', 'integration.epic-west.writeBackMappings']),
    );

    expect(await approveAll(id)).toBe('APPLIED');
    const view = ok<{ connector: Record<string, unknown> }>(
      await h.gql(eng, 'query { connector(id: "epic-west", environment: PRODUCTION) { baseUrl scopes writeBackMappings } }'),
    ).connector;
    expect(view).toEqual({ baseUrl: input.baseUrl, scopes: input.scopes, writeBackMappings: MAPPINGS });
    for (const f of ['baseUrl', 'scopes', 'writeBackMappings'])
      expect(await history(`integration.epic-west.${f}`)).toEqual([{ version: 1, changeId: id, changedBy: 'eng-ana' }]);
  });

  it('a field moved by another change meanwhile supersedes the whole configuration: no field is half-applied', async () => {
    const input = {
      connectorId: 'epic-west',
      environment: 'PRODUCTION',
      baseUrl: 'https://fhir2.epic.example/r4',
      scopes: ['system/Patient.rs'],
      reason: 'move',
    };
    const r = ok<{ configureConnector: { changes: Change[] } }>(await h.gql(eng, CONFIGURE, { i: input })).configureConnector;
    const id = r.changes[0]!.changeRequestId;
    // Someone else changes the scopes alone, and it applies first.
    const other = ok<{ configureConnector: { changes: Change[] } }>(
      await h.gql(eng, CONFIGURE, {
        i: { connectorId: 'epic-west', environment: 'PRODUCTION', scopes: ['system/Patient.rs', 'system/Encounter.rs'], reason: 'scopes' },
      }),
    ).configureConnector;
    expect(other.changes).toHaveLength(1);
    expect(await approveAll(other.changes[0]!.changeRequestId)).toBe('APPLIED');
    expect(ok<{ changeRequest: { status: string } }>(await h.gql(eng, CHANGE, { id })).changeRequest.status).toBe('SUPERSEDED');
    const view = ok<{ connector: Record<string, unknown> }>(
      await h.gql(eng, 'query { connector(id: "epic-west", environment: PRODUCTION) { baseUrl scopes } }'),
    ).connector;
    expect(view).toEqual({ baseUrl: 'https://fhir.epic.example/r4', scopes: ['system/Patient.rs', 'system/Encounter.rs'] });
    expect((await history('integration.epic-west.baseUrl')).map((v) => v.version)).toEqual([1]);
  });
});

describe('a compound setting change', () => {
  it('takes the highest risk among its settings, and applies each at its own next version in one commit', async () => {
    const svc = governanceOn(memoryStores().governance);
    const eng1 = person('eng-1', ['integration-engineer']);
    await updateSetting(svc, eng1, {
      key: 'integration.ehr.baseUrl',
      environment: 'STAGING',
      value: 'https://fhir.one.example/r4',
      reason: 'x',
    });
    const r = await updateSettings(svc, eng1, {
      environment: 'STAGING',
      values: { 'integration.ehr.baseUrl': 'https://fhir.two.example/r4', 'integration.ehr.writeBackEnabled': true },
      reason: 'enable',
    });
    // baseUrl is MEDIUM in staging, writeBackEnabled HIGH: the change is HIGH and waits for an approver.
    expect(r).toMatchObject({ status: 'PENDING_APPROVAL', change: { risk: 'HIGH' } });
    const done = await approveChange(svc, person('eng-2', ['integration-engineer']), r.change.id);
    await runOutbox(svc);
    expect((await findChangeRequest(svc, eng1, done.id))?.status).toBe('APPLIED');
    expect(await currentSetting(svc, 'acme', 'integration.ehr.baseUrl', 'STAGING')).toMatchObject({
      value: 'https://fhir.two.example/r4',
      version: 2,
    });
    expect(await currentSetting(svc, 'acme', 'integration.ehr.writeBackEnabled', 'STAGING')).toMatchObject({ value: true, version: 1 });
  });
});
