import { Client } from 'fhir-kit-client';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedFhirServer } from '../../../connectors/ehr/embedded-fhir-server.js';
import { ConnectorError } from '../../../connectors/common/connector-error.js';
import { toConnectorError } from '../../../connectors/common/http-failure.js';

// Real errors from fhir-kit-client against a real (empty) FHIR server, classified.

let server: EmbeddedFhirServer;
let client: Client;

/** A loopback port nobody listens on: bound, read, released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

beforeAll(async () => {
  server = await new EmbeddedFhirServer({ tenants: { t: [] } }).start();
  client = new Client({ baseUrl: server.baseUrl('t') });
});

afterAll(async () => {
  await server.stop();
});

describe('toConnectorError', () => {
  it('404 → NOT_FOUND', async () => {
    const error = toConnectorError('ehr', 'Patient read', await caught(client.read({ resourceType: 'Patient', id: 'missing' })));
    expect(error).toMatchObject({ kind: 'NOT_FOUND', status: 404, message: 'ehr: Patient read found nothing (HTTP 404)' });
  });

  it('412 → CONFLICT', async () => {
    const created = await client.create({ resourceType: 'Patient', body: { resourceType: 'Patient' } });
    const body = { resourceType: 'Patient', id: created['id'] };
    const err = await caught(
      client.update({ resourceType: 'Patient', id: String(created['id']), body, options: { headers: { 'If-Match': 'W/"stale"' } } }),
    );
    expect(toConnectorError('ehr', 'Patient update', err)).toMatchObject({ kind: 'CONFLICT', status: 412 });
  });

  it('400 → REJECTED, with neither body nor URL in the message', async () => {
    const err = await caught(
      client.update({ resourceType: 'Patient', id: 'secret-id-1', body: { resourceType: 'Patient', id: 'other-id' } }),
    );
    const error = toConnectorError('ehr', 'Patient update', err);
    expect(error).toMatchObject({ kind: 'REJECTED', status: 400 });
    expect(error.message).not.toMatch(/secret-id-1|Incorrect resource ID/);
  });

  it('connection refused → UNAVAILABLE; abort by deadline → TIMEOUT; ConnectorError passes through', async () => {
    const closed = new Client({ baseUrl: `http://127.0.0.1:${await closedPort()}/fhir` });
    const refused = toConnectorError('ehr', 'Patient read', await caught(closed.read({ resourceType: 'Patient', id: 'x' })));
    expect(refused).toMatchObject({ kind: 'UNAVAILABLE', status: null });
    const timeout = await caught(client.read({ resourceType: 'Patient', id: 'x', options: { signal: AbortSignal.timeout(0) } }));
    expect(toConnectorError('ehr', 'Patient read', timeout).kind).toBe('TIMEOUT');
    const original = new ConnectorError('ehr', 'CONFLICT', 409, 'kept');
    expect(toConnectorError('ehr', 'x', original)).toBe(original);
    expect(toConnectorError('ehr', 'x', new Error('boom'))).toMatchObject({ kind: 'UNAVAILABLE', message: 'ehr: x failed' });
  });
});
