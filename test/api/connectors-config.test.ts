import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { ok, refused } from './governance-operations.js';

// Connector configuration over HTTP: fields are governed settings `integration.<id>.*` (applied at once in STAGING,
// waiting for approval in PRODUCTION), testConnector reads the server's /metadata and says which configured scopes
// it supports, credentials need the credentials permission, and connectorHealth reports each outbound connector.

const CONFIGURE = `mutation($i: ConfigureConnectorInput!) { configureConnector(input: $i) { credentialsChanged changes { key status ` +
  `changeRequestId }
  connector { id environment baseUrl scopes writeBackEnabled stopped credentials { configured clientId version } } } }`;
const CONNECTORS = `query($e: Environment!) { connectors(environment: $e) { id baseUrl scopes credentials { configured } } }`;
const TEST = `mutation($c: String!, $e: Environment!) { testConnector(connectorId: $c, environment: $e) { connectorId reachable ` +
  `fhirVersion software supportedScopes unsupportedScopes error } }`;

let h: Harness;
let eng: string;
beforeAll(async () => {
  h = await startHarness({ env: { GATEWAY_ENVIRONMENT: 'STAGING' } });
  eng = await h.token({ sub: 'eng-ana', roles: ['integration-engineer'] });
}, 60_000);
afterAll(() => h.stop());

describe('connector configuration', () => {
  it('maps configureConnector onto governed settings and lists the connector', async () => {
    const baseUrl = h.running.fhir!.baseUrl('acme');
    const r = ok<{ configureConnector: { changes: { key: string; status: string }[]; connector: Record<string, unknown> } }>(
      await h.gql(eng, CONFIGURE, {
        i: {
          connectorId: 'athena-east',
          environment: 'STAGING',
          baseUrl,
          scopes: ['system/Patient.rs', 'system/NotAResource.rs'],
          reason: 'onboarding',
        },
      }),
    ).configureConnector;
    expect(r.changes.map((c) => [c.key, c.status])).toEqual([
      ['integration.athena-east.baseUrl', 'APPLIED'],
      ['integration.athena-east.scopes', 'APPLIED'],
    ]);
    expect(r.connector).toMatchObject({
      id: 'athena-east',
      environment: 'STAGING',
      baseUrl,
      writeBackEnabled: false,
      stopped: false,
      credentials: { configured: false, clientId: null, version: 0 },
    });
    const list = ok<{ connectors: { id: string; credentials: { configured: boolean } }[] }>(
      await h.gql(eng, CONNECTORS, { e: 'STAGING' }),
    ).connectors;
    expect(list.map((c) => c.id)).toEqual(['athena-east', 'ehr']);
    const history = ok<{ settingHistory: { changedBy: string }[] }>(
      await h.gql(eng, `{ settingHistory(key: "integration.athena-east.scopes", environment: STAGING) { changedBy } }`),
    );
    expect(history.settingHistory).toEqual([{ changedBy: 'eng-ana' }]);
  });

  it('waits for approval in PRODUCTION, and changes nothing when one field is invalid', async () => {
    const r = ok<{ configureConnector: { changes: { status: string }[] } }>(
      await h.gql(eng, CONFIGURE, {
        i: { connectorId: 'athena-east', environment: 'PRODUCTION', baseUrl: 'https://fhir.athena.example/r4', reason: 'go-live' },
      }),
    );
    expect(r.configureConnector.changes.map((c) => c.status)).toEqual(['PENDING_APPROVAL']);
    const bad = refused(
      await h.gql(eng, CONFIGURE, {
        i: { connectorId: 'athena-east', environment: 'STAGING', baseUrl: 'https://other.example/r4', scopes: ['everything'] },
      }),
      'BAD_USER_INPUT',
    );
    expect(bad.extensions).toMatchObject({ field: 'scopes' });
    const list = ok<{ connectors: { id: string; baseUrl: string }[] }>(await h.gql(eng, CONNECTORS, { e: 'STAGING' })).connectors;
    expect(list.find((c) => c.id === 'athena-east')?.baseUrl).toBe(h.running.fhir!.baseUrl('acme'));
  });

  it('tests a connector against FHIR /metadata: version, reachability, supported scopes', async () => {
    const t = ok<{ testConnector: Record<string, unknown> }>(await h.gql(eng, TEST, { c: 'athena-east', e: 'STAGING' })).testConnector;
    expect(t).toMatchObject({
      reachable: true,
      fhirVersion: '4.0.1',
      supportedScopes: ['system/Patient.rs'],
      unsupportedScopes: ['system/NotAResource.rs'],
      error: null,
    });
    ok(
      await h.gql(eng, CONFIGURE, {
        i: { connectorId: 'dead-end', environment: 'STAGING', baseUrl: 'http://127.0.0.1:1/fhir', reason: 'negative test' },
      }),
    );
    expect(
      ok<{ testConnector: Record<string, unknown> }>(await h.gql(eng, TEST, { c: 'dead-end', e: 'STAGING' })).testConnector,
    ).toMatchObject({ reachable: false, error: 'UNAVAILABLE' });
    expect(
      ok<{ testConnector: Record<string, unknown> }>(await h.gql(eng, TEST, { c: 'nowhere', e: 'STAGING' })).testConnector,
    ).toMatchObject({ reachable: false, error: 'NOT_CONFIGURED' });
  });

  it('refuses credentials to an integration engineer (write on credentials: system-admin)', async () => {
    const e = refused(
      await h.gql(eng, CONFIGURE, {
        i: { connectorId: 'athena-east', environment: 'STAGING', clientId: 'gw', clientSecret: 'not-allowed-123' },
      }),
      'FORBIDDEN',
    );
    expect(e.extensions).toMatchObject({ permission: 'write:credentials', ownerRole: 'system-admin' });
  });

  it('reports the circuit and health of each outbound connector', async () => {
    const r = ok<{ connectorHealth: { connector: string; circuit: string; calls: number }[] }>(
      await h.gql(eng, `{ connectorHealth { connector circuit calls errors errorRate p50LatencyMs lastError lastErrorAt } }`),
    );
    expect(r.connectorHealth.map((c) => [c.connector, c.circuit])).toEqual([['ehr', 'CLOSED'], ['smtp', 'CLOSED'], ['sms', 'CLOSED']]);
  });
});
