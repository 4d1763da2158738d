import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../rules/policy-document.js';
import { DESTINATION_REASON, DESTINATION_REFUSED } from '../../src/governance/connector-destination.js';
import { memoryStores } from '../../src/stores/create-store.js';
import { startHarness, type Harness } from '../support/harness.js';
import { ok, refused } from './governance-operations.js';

// testConnector is no port scanner (README "Connector configuration and secrets"): only who may configure a connector
// may test it (the same decision configureConnector's proposal makes: an editor of its base URL in that environment),
// every role of the policy is tried and none other reaches the probed host; and a base URL at a link-local or cloud
// metadata host, however written, is refused by every path with BAD_USER_INPUT (configureConnector and testConnector
// with the stable reason DESTINATION_NOT_ALLOWED), in both environments, even one stored before the rule. Loopback
// stays: the embedded FHIR server listens on 127.0.0.1.

const stores = memoryStores();
const received: string[] = [];
const probe = createServer((req, res) => {
  received.push(`${req.method} ${req.url}`);
  res.writeHead(200, { 'content-type': 'application/fhir+json' });
  res.end(JSON.stringify(req.url?.startsWith('/fhir/metadata') ? { resourceType: 'CapabilityStatement', fhirVersion: '4.0.1' } : {
    resourceType: 'Bundle',
    type: 'searchset',
    entry: [],
  }));
});
let probeUrl = '';
let h: Harness;
let eng: string;

const CONFIGURE = `mutation($i: ConfigureConnectorInput!) { configureConnector(input: $i) { changes { key status } } }`;
const TEST = `mutation($c: String!, $e: Environment!) { testConnector(connectorId: $c, environment: $e) { reachable error } }`;
const BASE_URL = `query($k: String!) { s: setting(key: $k, environment: STAGING) { value version } ` +
  `p: setting(key: $k, environment: PRODUCTION) { value version pendingChanges { id } } }`;

beforeAll(async () => {
  h = await startHarness({ stores, env: { GATEWAY_ENVIRONMENT: 'STAGING' } });
  eng = await h.token({ sub: 'eng-ana', roles: ['integration-engineer'] });
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  probeUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/fhir`;
  ok(await h.gql(eng, CONFIGURE, { i: { connectorId: 'probe', environment: 'STAGING', baseUrl: probeUrl, reason: 'probe' } }));
}, 60_000);
afterAll(async () => {
  await h.stop();
  await new Promise((resolve) => probe.close(resolve));
});

describe('testConnector is for who may configure the connector', () => {
  const policy = defaultPolicy();
  const roles = Object.keys(policy.roles).sort();

  it.each(roles)('%s: may test exactly when it may configure, and nobody else reaches the probed host', async (role) => {
    const token = await h.token({ sub: `${role}-1`, roles: [role], kind: policy.roles[role]!.principalKinds[0]! });
    const before = received.length;
    const test = await h.gql<{ testConnector: { reachable: boolean } }>(token, TEST, { c: 'probe', e: 'STAGING' });
    // The configure decision, asked the way configureConnector asks it (a scopes change of the same connector).
    const configure = await h.gql(token, CONFIGURE, {
      i: { connectorId: 'probe', environment: 'STAGING', scopes: [`system/Patient.rs`], reason: `by ${role}` },
    });
    const mayConfigure = configure.body.errors?.[0]?.extensions?.code !== 'FORBIDDEN';
    expect(mayConfigure).toBe(['integration-engineer', 'system-admin'].includes(role));
    if (mayConfigure) {
      expect(ok(test).testConnector.reachable).toBe(true);
      expect(received.length).toBeGreaterThan(before);
    } else {
      refused(test, 'FORBIDDEN');
      expect(received.slice(before)).toEqual([]);
    }
  });
});

describe('base URLs at link-local and metadata hosts are refused always', () => {
  const FORMS = [
    'https://169.254.169.254/latest/meta-data',
    'https://0xa9fea9fe/latest/meta-data',
    'https://2852039166/',
    'https://0251.0376.0251.0376/',
    'https://[::ffff:169.254.169.254]/',
    'https://[fe80::1]/fhir',
    'https://[fd00:ec2::254]/',
    'https://metadata.google.internal/computeMetadata/v1',
    'http://metadata/',
  ];
  const admin = () => h.token({ sub: 'sys-sam', roles: ['system-admin'] });

  for (const environment of ['STAGING', 'PRODUCTION']) {
    it.each(FORMS)(`${environment}: %s is BAD_USER_INPUT by every path, and nothing changes`, async (url) => {
      const before = ok(await h.gql(eng, BASE_URL, { k: 'integration.probe.baseUrl' }));
      for (const token of [eng, await admin()]) {
        const c = refused(
          await h.gql(token, CONFIGURE, { i: { connectorId: 'probe', environment, baseUrl: url, reason: 'x' } }),
          'BAD_USER_INPUT',
          DESTINATION_REASON,
        );
        expect(c.extensions?.problems).toEqual([{ path: 'baseUrl', message: DESTINATION_REFUSED }]);
        const u = refused(
          await h.gql(token, `mutation($i: UpdateSettingInput!) { updateSetting(input: $i) { status } }`, {
            i: { key: 'integration.probe.baseUrl', environment, value: url, reason: 'x' },
          }),
          'BAD_USER_INPUT',
        );
        expect(u.extensions?.problems).toContainEqual({ path: 'value', message: DESTINATION_REFUSED });
      }
      expect(ok(await h.gql(eng, BASE_URL, { k: 'integration.probe.baseUrl' }))).toEqual(before);
    });
  }

  it('a base URL stored before the rule is refused by testConnector before anything is sent', async () => {
    await stores.governance.commit('acme', [
      {
        type: 'put-doc',
        doc: {
          ref: { environment: 'STAGING', id: 'setting:integration.legacy.baseUrl' },
          version: 1,
          value: 'https://169.254.169.254/latest' as never,
          changedBy: 'old-gateway',
          changeId: null,
          at: new Date().toISOString(),
          reason: null,
        },
      },
    ]);
    const e = refused(await h.gql(eng, TEST, { c: 'legacy', e: 'STAGING' }), 'BAD_USER_INPUT', DESTINATION_REASON);
    expect(e.extensions?.problems).toEqual([{ path: 'baseUrl', message: DESTINATION_REFUSED }]);
  });

  it('loopback stays allowed, however written (the embedded FHIR server listens on 127.0.0.1)', async () => {
    const hex = probeUrl.replace('127.0.0.1', '0x7f000001');
    const r = ok<{ configureConnector: { changes: { status: string }[] } }>(
      await h.gql(eng, CONFIGURE, { i: { connectorId: 'probe', environment: 'STAGING', baseUrl: hex, reason: 'hex loopback' } }),
    );
    expect(r.configureConnector.changes.map((c) => c.status)).toEqual(['APPLIED']);
    const before = received.length;
    expect(ok<{ testConnector: { reachable: boolean } }>(await h.gql(eng, TEST, { c: 'probe', e: 'STAGING' })).testConnector.reachable)
      .toBe(true);
    expect(received.length).toBeGreaterThan(before);
    expect(
      ok<{ testConnector: { reachable: boolean } }>(await h.gql(eng, TEST, { c: 'ehr', e: 'STAGING' })).testConnector.reachable,
    ).toBe(true);
  });
});
