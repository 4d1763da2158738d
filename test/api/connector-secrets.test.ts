import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStores } from '../../src/stores/create-store.js';
import type { GqlResponse } from '../support/harness.js';
import { startHarness, type Harness } from '../support/harness.js';
import { ok, refused } from './governance-operations.js';

// Write-only connector credentials: a full scenario (set, read back, rotate, refused rotation, a malformed request
// carrying the secret, audit search, connector test) and then a grep of every API response, every audit record in
// the store and every log line for the secret values: none may hold one. Only "changed" is audited.

const SECRETS = [
  'canary-secret-7f1c2a9e-first',
  'canary-secret-0b94d3e1-rotated',
  'canary-secret-5a5a-refused',
  'canary-secret-typed-wrong',
];
const CONFIGURE = `mutation($i: ConfigureConnectorInput!) { configureConnector(input: $i) { credentialsChanged changes { key status } ` +
  `connector { id credentials { configured clientId version updatedBy } } } }`;
const ROTATE = `mutation($c: String!, $s: String!) { rotateConnectorSecret(connectorId: $c, environment: STAGING, clientSecret: $s, ` +
  `reason: "rotation") { configured clientId version updatedAt updatedBy change { key status } } }`;

const stores = memoryStores();
const store = stores.governance;
const responses: unknown[] = [];
let h: Harness;
let admin: string;
let eng: string;

const call = async <D>(token: string, query: string, variables?: Record<string, unknown>): Promise<GqlResponse<D>> => {
  const r = await h.gql<D>(token, query, variables);
  responses.push(r.body);
  return r;
};

beforeAll(async () => {
  h = await startHarness({ stores, env: { GATEWAY_ENVIRONMENT: 'STAGING', LOG_LEVEL: 'trace' } });
  admin = await h.token({ sub: 'sys-sam', roles: ['system-admin'] });
  eng = await h.token({ sub: 'eng-ana', roles: ['integration-engineer'] });
}, 60_000);
afterAll(() => h.stop());

describe('connector secrets', () => {
  it('are set, rotated and reported as metadata only', async () => {
    const set = ok<{ configureConnector: { credentialsChanged: boolean; connector: { credentials: Record<string, unknown> } } }>(
      await call(admin, CONFIGURE, {
        i: { connectorId: 'athena-east', environment: 'STAGING', clientId: 'clearance-gw', clientSecret: SECRETS[0], reason: 'onboarding' },
      }),
    ).configureConnector;
    expect(set).toMatchObject({
      credentialsChanged: true,
      connector: { credentials: { configured: true, clientId: 'clearance-gw', version: 1, updatedBy: 'sys-sam' } },
    });
    const rotated = ok<{ rotateConnectorSecret: Record<string, unknown> }>(
      await call(admin, ROTATE, { c: 'athena-east', s: SECRETS[1] }),
    ).rotateConnectorSecret;
    expect(rotated).toMatchObject({ configured: true, clientId: 'clearance-gw', version: 2 });
    refused(await call(eng, ROTATE, { c: 'athena-east', s: SECRETS[2] }), 'FORBIDDEN');
    refused(await call(admin, ROTATE, { c: 'athena-east', s: 'short' }), 'BAD_USER_INPUT');
    // A malformed request carrying a secret: graphql-js would echo the value; the gateway scrubs it.
    const typed = await call(
      admin,
      `mutation($s: Int!) { rotateConnectorSecret(connectorId: "athena-east", environment: STAGING, clientSecret: $s) { version } }`,
      { s: SECRETS[3] },
    );
    expect(typed.body.errors?.length).toBeGreaterThan(0);
    ok(
      await call(
        admin,
        `{ connectors(environment: STAGING) { id credentials { configured clientId version } } connector(id: "athena-east", environment: ` +
        `STAGING) { credentials { updatedAt } } }`,
      ),
    );
    ok(await call(eng, `mutation { testConnector(connectorId: "athena-east", environment: STAGING) { reachable error } }`));
  });

  it('appear in no response, audit record or log line; the audit says only that they changed', async () => {
    const sec = await h.token({ sub: 'sec-sue', roles: ['security-admin'] });
    const audit = ok<{ auditEvents: { edges: { node: { action: string; target: string } }[] } }>(
      await call(sec, `{ auditEvents(first: 50) { edges { node { action target detail before after } } } }`),
    );
    const actions = audit.auditEvents.edges.map((e) => e.node).filter((n) => n.action.startsWith('connector.credentials'));
    expect(actions.map((a) => [a.action, a.target])).toEqual(
      expect.arrayContaining([
        ['connector.credentials.changed', 'connector:athena-east'],
        ['connector.credentials.rotated', 'connector:athena-east'],
      ]),
    );
    const records = await stores.audit.records('acme', 1, 100_000);
    const doc = (await store.listDocs('acme', 'STAGING', 'secret:')).filter((d) => d.ref.id.startsWith('secret:athena-east:'));
    expect(doc).toHaveLength(2);
    const haystacks = {
      responses: JSON.stringify(responses),
      audit: records.join('\n'),
      logs: h.logLines.join('\n'),
      storedDoc: JSON.stringify(doc),
    };
    expect(h.logLines.length).toBeGreaterThan(0);
    for (const secret of SECRETS) {
      for (const [where, text] of Object.entries(haystacks)) expect(text.includes(secret), `${where} holds ${secret}`).toBe(false);
    }
  });
});
