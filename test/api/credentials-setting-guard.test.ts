import { getNamedType, isInputObjectType, type GraphQLField } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../rules/policy-document.js';
import { DEFAULT_APPROVAL_RULES } from '../../src/governance/approval-rules.js';
import { describeTarget } from '../../src/governance/change-target.js';
import { buildUnguardedSchema } from '../../src/server/build-schema.js';
import { memoryStores } from '../../src/stores/create-store.js';
import { startHarness, type GqlResponse, type Harness } from '../support/harness.js';
import { ok, refused } from './governance-operations.js';

// The credentials setting `integration.<id>.credentials` changes only for a holder of `write` on credentials, by
// every path. Every mutation of the schema that takes a setting key or a connector id (derived from the schema, so
// a new one fails the first test until it is listed) is tried by an integration engineer against
// `integration.ehr.credentials`: each is FORBIDDEN and changes nothing (setting versions, change requests, staged
// secrets), or says why it cannot name that setting. explain and the settings catalog give the same answer.

const KEY = 'integration.ehr.credentials';
const stores = memoryStores();
let h: Harness;
let t: Record<'eng' | 'admin' | 'sec', string>;
const history: { version: number; value: Record<string, unknown> }[] = [];

type Case = { readonly query: string; readonly variables: () => Record<string, unknown> } | { readonly cannot: string };

const CASES: Record<string, Case> = {
  updateSetting: {
    query: `mutation($i: UpdateSettingInput!) { updateSetting(input: $i) { status } }`,
    // Points the connector back at a rotated-out secret, with a forged reference.
    variables: () => ({ i: { key: KEY, environment: 'STAGING', value: history[0]!.value, reason: 'direct' } }),
  },
  rollbackSetting: {
    query: `mutation { rollbackSetting(key: "${KEY}", environment: STAGING, toVersion: 1, reason: "x") { status } }`,
    variables: () => ({}),
  },
  promoteSetting: {
    query: `mutation { promoteSetting(key: "${KEY}", reason: "x") { status } }`,
    variables: () => ({}),
  },
  configureConnector: {
    query: `mutation { configureConnector(input: { connectorId: "ehr", environment: STAGING, clientId: "x", ` +
      `clientSecret: "forged-secret-123", reason: "x" }) { credentialsChanged } }`,
    variables: () => ({}),
  },
  rotateConnectorSecret: {
    query: `mutation { rotateConnectorSecret(connectorId: "ehr", environment: STAGING, clientSecret: "forged-secret-123", ` +
      `reason: "x") { version } }`,
    variables: () => ({}),
  },
  generateConnectorKey: {
    query: `mutation { generateConnectorKey(connectorId: "ehr", environment: STAGING, clientId: "x", reason: "x") { jwksPath } }`,
    variables: () => ({}),
  },
  setWriteBack: { cannot: 'changes integration.<connectorId>.writeBackEnabled only (the key is built from the id, never given)' },
  testConnector: { cannot: 'changes no setting (it only calls the connector)' },
};

/** Mutations that take a setting key or a connector id, as an argument or a field of an input argument. */
function settingMutations(): string[] {
  const names = ['key', 'connectorId'];
  const takes = (f: GraphQLField<unknown, unknown>) =>
    f.args.some((a) => {
      const type = getNamedType(a.type);
      return names.includes(a.name) || (isInputObjectType(type) && names.some((n) => n in type.getFields()));
    });
  return Object.values(buildUnguardedSchema().getMutationType()!.getFields()).filter(takes).map((f) => f.name).sort();
}

const SNAPSHOT = `query($k: String!) {
  staging: setting(key: $k, environment: STAGING) { value version pendingChanges { id } }
  production: setting(key: $k, environment: PRODUCTION) { value version pendingChanges { id } }
  changeRequests(first: 200) { id }
}`;
async function snapshot() {
  const data = ok(await h.gql(t.admin, SNAPSHOT, { k: KEY }));
  const secrets = [...(await stores.governance.listDocs('acme', 'STAGING', 'secret:')), ...(await stores.governance.listDocs('acme',
    'PRODUCTION', 'secret:'))].map((d) => d.ref.id);
  return { data, secrets };
}

const EXPLAIN = `query($a: String!, $e: Environment!) { explain(action: $a, environment: $e) { decision reason rule } }`;
const CATALOG = `query { settingsCatalog(environment: STAGING) { key canEdit lockedReason } }`;
const explain = async (token: string, environment: string) =>
  ok<{ explain: { decision: string; reason: string | null } }>(await h.gql(token, EXPLAIN, { a: `setting:update:${KEY}`, e: environment }))
    .explain;
type CatalogEntry = { key: string; canEdit: boolean; lockedReason: string | null };
const catalogEntry = async (token: string, key: string) =>
  ok<{ settingsCatalog: CatalogEntry[] }>(await h.gql(token, CATALOG)).settingsCatalog.find((s) => s.key === key);

beforeAll(async () => {
  h = await startHarness({ stores, env: { GATEWAY_ENVIRONMENT: 'STAGING' } });
  t = {
    eng: await h.token({ sub: 'eng-ana', roles: ['integration-engineer'] }),
    admin: await h.token({ sub: 'sys-sam', roles: ['system-admin'] }),
    sec: await h.token({ sub: 'sec-sue', roles: ['security-admin'], mfa: true }),
  };
  // Two staging credentials by the system admin: version 1 is rotated out by version 2.
  for (const s of ['first-secret-aaaa', 'second-secret-bbbb'])
    ok(await h.gql(t.admin, `mutation($s: String!) { rotateConnectorSecret(connectorId: "ehr", environment: STAGING, ` +
      `clientId: "gw", clientSecret: $s, reason: "onboarding") { version } }`, { s }));
  const r = ok<{ settingHistory: { version: number; value: Record<string, unknown> }[] }>(
    await h.gql(t.admin, `{ settingHistory(key: "${KEY}", environment: STAGING) { version value } }`),
  );
  history.push(...r.settingHistory.sort((a, b) => a.version - b.version));
  expect(history.map((v) => v.version)).toEqual([1, 2]);
}, 60_000);
afterAll(() => h.stop());

describe('the credentials setting changes only with write:credentials', () => {
  it('every mutation taking a setting key or a connector id is listed here', () => {
    expect(Object.keys(CASES).sort()).toEqual(settingMutations());
  });

  for (const [name, c] of Object.entries(CASES)) {
    if ('cannot' in c) {
      it(`${name}: cannot name the credentials setting: ${c.cannot}`, () => expect(c.cannot).not.toBe(''));
      continue;
    }
    it(`${name}: FORBIDDEN for an integration engineer, and nothing changes`, async () => {
      const before = await snapshot();
      const r: GqlResponse = await h.gql(t.eng, c.query, c.variables());
      refused(r, 'FORBIDDEN');
      expect(await snapshot()).toEqual(before);
    });
  }

  it('a rollback or promotion tells a caller who may not change the setting nothing of its versions', async () => {
    // The version that exists, one that does not, and a setting with nothing in STAGING to promote: one FORBIDDEN each.
    const answers = [];
    for (const query of [
      `mutation { rollbackSetting(key: "${KEY}", environment: STAGING, toVersion: 1, reason: "x") { status } }`,
      `mutation { rollbackSetting(key: "${KEY}", environment: STAGING, toVersion: 999, reason: "x") { status } }`,
      `mutation { rollbackSetting(key: "${KEY}", environment: PRODUCTION, toVersion: 999, reason: "x") { status } }`,
      'mutation { promoteSetting(key: "integration.webhooks.credentials", reason: "x") { status } }',
    ]) {
      const r: GqlResponse = await h.gql(t.eng, query);
      refused(r, 'FORBIDDEN');
      answers.push((r.body.errors?.[0]?.extensions as { reason?: string } | undefined)?.reason);
    }
    expect(new Set(answers)).toEqual(new Set(['NOT_AN_EDITOR']));
  });

  it('explain and the settings catalog say the same: DENY and locked for the engineer, open to the system admin', async () => {
    for (const environment of ['STAGING', 'PRODUCTION'])
      expect(await explain(t.eng, environment)).toMatchObject({ decision: 'DENY', reason: 'NOT_AN_EDITOR' });
    expect((await explain(t.admin, 'STAGING')).decision).toBe('ALLOW');
    expect((await explain(t.admin, 'PRODUCTION')).decision).toBe('NEEDS_APPROVAL');
    expect(await catalogEntry(t.eng, KEY)).toMatchObject({ canEdit: false, lockedReason: expect.stringContaining('system-admin') });
    expect(await catalogEntry(t.admin, KEY)).toMatchObject({ canEdit: true, lockedReason: null });
    // The engineer keeps the rest of the connector: its base URL is theirs to change.
    expect((await explain(t.eng, 'STAGING')).decision).toBe('DENY');
    const baseUrl = ok<{ explain: { decision: string } }>(
      await h.gql(t.eng, EXPLAIN, { a: 'setting:update:integration.ehr.baseUrl', e: 'STAGING' }),
    ).explain;
    expect(baseUrl.decision).toBe('ALLOW');
  });

  it('the same paths work for the system admin (the refusals above are the permission, nothing else)', async () => {
    const rollback = CASES.rollbackSetting as Extract<Case, { query: string }>;
    expect(ok<{ rollbackSetting: { status: string } }>(await h.gql(t.admin, rollback.query)).rollbackSetting.status).toBe('APPLIED');
    const promote = CASES.promoteSetting as Extract<Case, { query: string }>;
    expect(ok<{ promoteSetting: { status: string } }>(await h.gql(t.admin, promote.query)).promoteSetting.status).toBe('PENDING_APPROVAL');
  });

  it('a compound change naming a credentials key has only the editors who hold write:credentials; without the policy, none', () => {
    const target = {
      type: 'settings' as const,
      entries: [
        { key: KEY, baseVersion: 0 },
        { key: 'integration.ehr.baseUrl', baseVersion: 0 },
      ],
    };
    const withPolicy = describeTarget(target, DEFAULT_APPROVAL_RULES, undefined, defaultPolicy());
    expect(withPolicy.ok && withPolicy.descriptor.editorRoles).toEqual(['system-admin']);
    const withoutPolicy = describeTarget({ type: 'setting', key: KEY }, DEFAULT_APPROVAL_RULES);
    expect(withoutPolicy.ok && withoutPolicy.descriptor.editorRoles).toEqual([]);
  });
});
