import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configurationEnvironmentFields } from '../../rules/configuration-environment.js';
import { fieldRules } from '../../rules/field-access.js';
import { buildUnguardedSchema } from '../../src/server/build-schema.js';
import { startHarness, type Harness } from '../support/harness.js';
import { LiveSocket, type WsMessage } from '../support/live-socket.js';
import { APPROVE, UPDATE_SETTING, actors, ok, refused, type Change, type ChangeResult } from './governance-operations.js';

// A tester's finding: a person whose only role was assigned for STAGING read PRODUCTION's settings, connectors, stops
// and change queue (its role counted for configuration in every environment). Configuration is an environment's
// (rules/configuration-environment.ts, decide.ts readsConfigurationIn): every query field that names an environment,
// the change queue, one change, the live queue and explain ask for the roles that count there.

const ASSIGN = `mutation ($input: AssignRoleInput!) { assignRole(input: $input) { status changeRequest { id status } } }`;

/** One query per field of the class, with the environment as `$e`; the test fails for a field left out. */
const QUERIES: Readonly<Record<string, string>> = {
  settings: 'query ($e: Environment!) { settings(environment: $e) { key } }',
  setting: 'query ($e: Environment!) { setting(key: "ai.model", environment: $e) { key } }',
  settingHistory: 'query ($e: Environment!) { settingHistory(key: "ai.model", environment: $e) { version } }',
  settingDiff: 'query ($e: Environment!) { settingDiff(key: "ai.model", environment: $e, fromVersion: 0, toVersion: 0) { key } }',
  stopStates: 'query ($e: Environment!) { stopStates(environment: $e) { target } }',
  stopState: 'query ($e: Environment!) { stopState(target: "connector:ehr", environment: $e) { target } }',
  settingsCatalog: 'query ($e: Environment!) { settingsCatalog(environment: $e) { key } }',
  connectors: 'query ($e: Environment!) { connectors(environment: $e) { id } }',
  connector: 'query ($e: Environment!) { connector(id: "ehr", environment: $e) { id } }',
};
const ENVIRONMENTS = ['STAGING', 'PRODUCTION'] as const;

let h: Harness;
let t: Record<'sec1' | 'sec2' | 'eng' | 'ops', string>;

async function assign(assignee: string, role: string, environments: string[]): Promise<void> {
  const r = ok(await h.gql<{ assignRole: { status: string; changeRequest: Change } }>(t.sec1, ASSIGN, {
    input: { assignee, assignedRole: role, environments, reason: 'rota' },
  })).assignRole;
  let status = r.changeRequest.status;
  for (const approver of [t.sec2, t.eng, t.ops]) {
    if (status === 'APPLIED') break;
    const approved = await h.gql<{ approveChange: Change }>(approver, APPROVE, { id: r.changeRequest.id });
    if (!approved.body.errors) status = approved.body.data!.approveChange.status;
  }
  expect(status).toBe('APPLIED');
}

beforeAll(async () => {
  h = await startHarness();
  t = await actors(h, {
    sec1: { roles: ['security-admin'], mfa: true },
    sec2: { roles: ['security-admin'], mfa: true },
    eng: { roles: ['integration-engineer'], mfa: true },
    ops: { roles: ['ops-manager'], mfa: true },
  });
  await assign('ivy', 'integration-engineer', ['STAGING']);
  await assign('sue', 'support', ['STAGING']);
  await assign('pam', 'support', ['PRODUCTION']);
  await assign('bo', 'support', ['STAGING', 'PRODUCTION']);
});
afterAll(() => h.stop());

/** People and where their configuration role counts (their tokens: with the role and without it). */
const people = [
  { sub: 'ivy', role: 'integration-engineer', counts: ['STAGING'] },
  { sub: 'sue', role: 'support', counts: ['STAGING'] },
  { sub: 'pam', role: 'support', counts: ['PRODUCTION'] },
  { sub: 'bo', role: 'support', counts: ['STAGING', 'PRODUCTION'] },
] as const;

describe('configuration is read where the role counts', () => {
  it('the class is every query field under `read configuration` that names an environment, each with a query here', () => {
    const fields = configurationEnvironmentFields(buildUnguardedSchema(), fieldRules);
    expect([...fields].sort()).toEqual(Object.keys(QUERIES).sort());
  });

  it('every field of the class, every person and token, both environments: FORBIDDEN ROLE_NOT_IN_ENVIRONMENT exactly where the ' +
    'role does not count, and explain says the same', async () => {
    for (const p of people) {
      for (const roles of [[p.role], []]) {
        const token = await h.token({ sub: p.sub, roles: [...roles] });
        for (const e of ENVIRONMENTS) {
          const counts = (p.counts as readonly string[]).includes(e);
          for (const [field, query] of Object.entries(QUERIES)) {
            const r = await h.gql(token, query, { e });
            const forbidden = (r.body.errors ?? []).filter((x) => x.extensions?.code === 'FORBIDDEN');
            const at = `${p.sub} ${JSON.stringify(roles)} ${field} ${e}`;
            if (counts) {
              expect(forbidden, at).toEqual([]);
              continue;
            }
            const error = refused(r, 'FORBIDDEN', 'ROLE_NOT_IN_ENVIRONMENT');
            const scope = { failedScope: 'environment', permission: 'read:configuration', requestAccess: null };
            expect(error.extensions, at).toMatchObject(scope);
            expect(error.message, at).toMatch(new RegExp(`count in ${p.counts.join(' and ')} only, not in ${e}`));
            expect(error.extensions?.howToGet, at).toMatch(new RegExp(`reads configuration for ${e} \\(assignRole\\)`));
          }
          const explained = ok(await h.gql<{ explain: { decision: string; reason: string | null; failedScope: string | null } }>(
            token,
            'query ($e: Environment) { explain(action: "read:configuration", environment: $e) { decision reason failedScope } }',
            { e },
          )).explain;
          expect(explained, `${p.sub} explain ${e}`).toEqual(
            counts
              ? { decision: 'ALLOW', reason: null, failedScope: null }
              : { decision: 'DENY', reason: 'ROLE_NOT_IN_ENVIRONMENT', failedScope: 'environment' },
          );
        }
      }
    }
  });

  it('a role the store does not manage counts everywhere, and a person with no configuration role gets the role denial', async () => {
    const token = await h.token({ sub: 'free-support', roles: ['support'] });
    for (const e of ENVIRONMENTS) {
      for (const query of Object.values(QUERIES)) expect((await h.gql(token, query, { e })).body.errors).toBeUndefined();
    }
    const nobody = await h.token({ sub: 'no-config', roles: ['nurse'], departments: ['cardiology'] });
    // The queue says first what works without the role (a new user's finding).
    const queue = refused(await h.gql(nobody, '{ changeRequests { id } }'), 'FORBIDDEN');
    expect(queue.extensions?.howToGet).toMatch(/^Without it, changeRequests\(actionable: true\) lists the changes you can act on/);
    for (const q of ['{ changeRequests(actionable: true) { id } }', '{ changeRequests(mine: true) { id } }']) {
      expect((await h.gql(nobody, q)).body.errors).toBeUndefined();
    }
    for (const e of ENVIRONMENTS) {
      const error = refused(await h.gql(nobody, QUERIES.settings!, { e }), 'FORBIDDEN');
      expect(error.extensions).toMatchObject({ failedScope: 'role' });
      expect(error.extensions?.reason).toBeUndefined();
    }
  });
});

describe('the change queue', () => {
  const LIST = 'query ($e: Environment) { changeRequests(environment: $e) { id environment } }';
  const ONE = 'query ($id: ID!) { changeRequest(id: $id) { id environment } }';
  let staging: string;
  let production: string;

  beforeAll(async () => {
    const propose = async (environment: string) =>
      ok(await h.gql<{ updateSetting: ChangeResult }>(t.eng, UPDATE_SETTING, {
        input: { key: 'integration.ehr.scopes', environment, value: ['system/Patient.rs'], reason: `scopes ${environment}` },
      })).updateSetting.changeRequest!.id;
    // STAGING's integration changes of this risk may apply at once: a HIGH one stays pending in both.
    staging = await propose('STAGING');
    production = await propose('PRODUCTION');
  });

  it('lists, opens and filters the changes of the environments where the role counts, and refuses the others', async () => {
    for (const p of people) {
      const token = await h.token({ sub: p.sub, roles: [p.role] });
      const listed = ok(await h.gql<{ changeRequests: { id: string; environment: string }[] }>(token, LIST, {})).changeRequests;
      expect(new Set(listed.map((c) => c.environment)), p.sub).toEqual(new Set(p.counts));
      for (const [e, id] of [['STAGING', staging], ['PRODUCTION', production]] as const) {
        const counts = (p.counts as readonly string[]).includes(e);
        const list = await h.gql<{ changeRequests: { id: string }[] }>(token, LIST, { e });
        const one = await h.gql<{ changeRequest: { id: string } }>(token, ONE, { id });
        if (counts) {
          expect(ok(list).changeRequests.map((c) => c.id), `${p.sub} ${e}`).toContain(id);
          expect(ok(one).changeRequest.id).toBe(id);
        } else {
          refused(list, 'FORBIDDEN', 'ROLE_NOT_IN_ENVIRONMENT');
          refused(one, 'FORBIDDEN', 'ROLE_NOT_IN_ENVIRONMENT');
        }
      }
    }
  });

  it('the live queue delivers the events of changes the subscriber may open: STAGING only for a STAGING-only role', async () => {
    const socket = await LiveSocket.open(h.url.replace(/\/graphql$/, '/graphql/ws'), {
      authorization: `Bearer ${await h.token({ sub: 'ivy', roles: [] })}`,
    });
    try {
      expect(await socket.acked()).toBe(true);
      socket.subscribe('1', 'subscription { changeEvents { kind changeId change { environment } } }');
      await new Promise((r) => setTimeout(r, 200)); // the subscription listens before anything is published
      const propose = async (environment: string) =>
        ok(await h.gql<{ updateSetting: ChangeResult }>(t.eng, UPDATE_SETTING, {
          input: { key: 'integration.ehr.scopes', environment, value: ['system/Observation.rs'], reason: 'live' },
        })).updateSetting.changeRequest!.id;
      const inProduction = await propose('PRODUCTION');
      const inStaging = await propose('STAGING');
      const event = (m: WsMessage) => (m.payload!.data as { changeEvents: { changeId: string } }).changeEvents;
      await socket.waitFor((m) => m.id === '1' && m.type === 'next' && event(m).changeId === inStaging);
      const seen = socket.of('1').filter((m) => m.type === 'next').map((m) => event(m).changeId);
      expect(seen).not.toContain(inProduction);
      expect(seen).toContain(inStaging);
    } finally {
      socket.close();
    }
  });
});

// The tester's findings on the same feature: a refusal that tells the target's stored state (STALE_VERSION naming the
// version, NOT_STOPPED) came before the editor check, so a STAGING-only role still read PRODUCTION's versions and
// stops; stops and connector tests said ROLE_NOT_IN_ENVIRONMENT without failedScope; a refused settingsCatalog nulled
// the whole answer. Every governed mutation of the role, in the environment where it does not count, with the input
// that reaches furthest (a stale expected version, a target that is not stopped, a version that does not exist):
// FORBIDDEN, ROLE_NOT_IN_ENVIRONMENT, failedScope environment; in its own environment the state-telling answer.
describe('mutations in an environment where the role does not count', () => {
  const MUTATIONS: Readonly<Record<string, { query: string; own: string | null }>> = {
    updateSetting: {
      query: 'mutation ($e: Environment!) { updateSetting(input: { key: "integration.ehr.scopes", environment: $e, ' +
        'value: ["system/Patient.rs"], expectedVersion: 99, reason: "x" }) { status } }',
      own: 'STALE_VERSION',
    },
    setWriteBack: {
      query: 'mutation ($e: Environment!) { setWriteBack(connectorId: "ehr", environment: $e, enabled: true, expectedVersion: 99, ' +
        'reason: "x") { status } }',
      own: 'STALE_VERSION',
    },
    rollbackSetting: {
      query: 'mutation ($e: Environment!) { rollbackSetting(key: "integration.ehr.scopes", environment: $e, toVersion: 99, ' +
        'reason: "x") { status } }',
      own: null,
    },
    resume: {
      query: 'mutation ($e: Environment!) { resume(target: "connector:ehr", environment: $e, reason: "x") { status } }',
      own: 'NOT_STOPPED',
    },
    emergencyStop: {
      query: 'mutation ($e: Environment!) { emergencyStop(target: "connector:ehr", environment: $e, reason: "x") { target } }',
      own: null,
    },
    testConnector: {
      query: 'mutation ($e: Environment!) { testConnector(connectorId: "ehr", environment: $e) { reachable } }',
      own: null,
    },
    configureConnector: {
      query: 'mutation ($e: Environment!) { configureConnector(input: { connectorId: "ehr", environment: $e, ' +
        'scopes: ["system/Patient.rs"], reason: "x" }) { credentialsChanged } }',
      own: null,
    },
  };

  it('refuse before telling anything of the target, with failedScope environment; explain agrees for stop and resume', async () => {
    const ivy = await h.token({ sub: 'ivy', roles: ['integration-engineer'], mfa: true });
    for (const [name, m] of Object.entries(MUTATIONS)) {
      const error = refused(await h.gql(ivy, m.query, { e: 'PRODUCTION' }), 'FORBIDDEN', 'ROLE_NOT_IN_ENVIRONMENT');
      expect(error.extensions?.failedScope, name).toBe('environment');
      expect(error.message, name).not.toMatch(/version|not stopped/i);
      if (m.own) refused(await h.gql(ivy, m.query, { e: 'STAGING' }), 'CONFLICT', m.own);
    }
    for (const action of ['stop:connector:ehr', 'resume:connector:ehr']) {
      const explained = ok(await h.gql<{ explain: { decision: string; reason: string; failedScope: string } }>(
        ivy,
        'query ($a: String!) { explain(action: $a, environment: PRODUCTION) { decision reason failedScope } }',
        { a: action },
      )).explain;
      expect(explained, action).toEqual({ decision: 'DENY', reason: 'ROLE_NOT_IN_ENVIRONMENT', failedScope: 'environment' });
    }
  });

  it('a caller who edits nothing there learns no version either (NOT_AN_EDITOR), and a refused catalog nulls only itself', async () => {
    const support = await h.token({ sub: 'plain-support', roles: ['support'] });
    const e = refused(await h.gql(support, MUTATIONS.updateSetting!.query, { e: 'PRODUCTION' }), 'FORBIDDEN', 'NOT_AN_EDITOR');
    expect(e.message).not.toMatch(/version/);
    const ivy = await h.token({ sub: 'ivy', roles: [] });
    const both = '{ me { sub } settingsCatalog(environment: PRODUCTION) { key } }';
    const r = await h.gql<{ me: { sub: string }; settingsCatalog: null }>(ivy, both);
    expect(r.body.data).toEqual({ me: { sub: 'ivy' }, settingsCatalog: null });
    expect(r.body.errors?.[0]?.extensions?.reason).toBe('ROLE_NOT_IN_ENVIRONMENT');
  });
});
