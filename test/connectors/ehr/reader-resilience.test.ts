import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bundle } from '@medplum/fhirtypes';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../connectors/common/connector-error.js';
import { createEhrConnector, type EhrConnectorOptions } from '../../../connectors/ehr/create-ehr-connector.js';

// EHR reads through the shared resilience layer (connectors/common/resilient-call.ts), against a real HTTP server on
// 127.0.0.1 whose answers each test scripts and whose requests it counts: retries after outages and timeouts, the
// circuit opening, failing fast without reaching the server, half-opening on the injected clock and recovering;
// and a 404 (a wrong base URL) REJECTED without retries and without counting as an outage.

const PATIENT = 'p-1';
const BUNDLE: Bundle = {
  resourceType: 'Bundle',
  type: 'searchset',
  total: 1,
  entry: [{ resource: { resourceType: 'Patient', id: PATIENT, name: [{ family: 'Doe', given: ['Jo'] }] } }],
};

type Answer = 'ok' | 'error503' | 'notFound' | 'drop' | 'hang';
let script: Answer[] = [];
let otherwise: Answer = 'ok';
let requests = 0;
let server: Server;
let baseUrl: string;

function answer(req: IncomingMessage, res: ServerResponse): void {
  requests++;
  const next = script.shift() ?? otherwise;
  if (next === 'hang') return; // never answers: the client's deadline must end it
  if (next === 'drop') return void req.socket.destroy();
  const [status, body] =
    next === 'ok'
      ? [200, BUNDLE]
      : next === 'notFound'
        ? [404, { resourceType: 'OperationOutcome' }]
        : [503, { resourceType: 'OperationOutcome' }];
  res.writeHead(status, { 'content-type': 'application/fhir+json' }).end(JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  script = [];
  otherwise = 'ok';
  requests = 0;
});

let clock = 0;
const connector = (overrides: Partial<EhrConnectorOptions> = {}) =>
  createEhrConnector({
    baseUrls: { acme: baseUrl },
    timeoutMs: 200,
    resilience: { retry: { attempts: 3, baseDelayMs: 5 }, circuit: { failureThreshold: 3, coolDownMs: 10_000 }, now: () => clock },
    ...overrides,
  });

async function failure(run: () => Promise<unknown>): Promise<ConnectorError> {
  const error = await run().then(() => null, (e: unknown) => e);
  if (error instanceof ConnectorError) return error;
  throw new Error(`expected a ConnectorError, got ${String(error)}`);
}

describe('EHR reads through the resilience layer', () => {
  it('retries a search after an outage and a timeout, then answers', async () => {
    const ehr = connector();
    script = ['error503', 'hang'];
    expect((await ehr.forRequest('acme').patient(PATIENT))?.id).toBe(PATIENT);
    expect(requests).toBe(3);
    // One Resilience per tenant for the connector's lifetime: the next request's reader sees the same health.
    expect(ehr.forRequest('acme')).not.toBe(ehr.forRequest('acme'));
    expect(ehr.resilience?.('acme')?.health.snapshot()).toMatchObject({ calls: 3, errors: 2, lastError: 'TIMEOUT' });
    expect(ehr.resilience?.('acme')?.breaker.state).toBe('CLOSED');
    expect(ehr.resilience?.('globex')).toBeNull();
  });

  it('opens the circuit after repeated outages, fails fast without a request, half-opens after the cool-down and recovers', async () => {
    clock = 0;
    const ehr = connector();
    otherwise = 'drop';
    expect(await failure(() => ehr.forRequest('acme').patient(PATIENT))).toMatchObject({ connector: 'ehr', kind: 'UNAVAILABLE' });
    expect(requests).toBe(3);
    expect(ehr.resilience?.('acme')?.breaker.state).toBe('OPEN');

    // Open: every read of every request fails at once, the server is not asked, even once it would answer.
    otherwise = 'ok';
    for (const read of [
      () => ehr.forRequest('acme').patient(PATIENT),
      () => ehr.forRequest('acme').searchPatients({ first: 5, offset: 0 }),
    ]) {
      const error = await failure(read);
      expect(error).toMatchObject({ connector: 'ehr', kind: 'UNAVAILABLE', status: null });
      expect(error.message).toContain('circuit open');
    }
    expect(requests).toBe(3);

    // Half-open on a still-down server: one trial request, which opens the circuit again.
    clock += 10_000;
    otherwise = 'drop';
    expect(ehr.resilience?.('acme')?.breaker.state).toBe('HALF_OPEN');
    expect(await failure(() => ehr.forRequest('acme').patient(PATIENT))).toMatchObject({ kind: 'UNAVAILABLE' });
    expect(requests).toBe(4);
    expect(ehr.resilience?.('acme')?.breaker.state).toBe('OPEN');

    // Half-open on a recovered server: the trial succeeds and closes the circuit.
    clock += 10_000;
    otherwise = 'ok';
    expect((await ehr.forRequest('acme').patient(PATIENT))?.id).toBe(PATIENT);
    expect(requests).toBe(5);
    expect(ehr.resilience?.('acme')?.breaker.state).toBe('CLOSED');
  });

  it('a 404 (wrong base URL) is REJECTED, sent once, and never opens the circuit', async () => {
    const ehr = connector();
    otherwise = 'notFound';
    for (let i = 0; i < 5; i++) {
      expect(await failure(() => ehr.forRequest('acme').patient(PATIENT))).toMatchObject({
        connector: 'ehr',
        kind: 'REJECTED',
        status: 404,
      });
    }
    expect(requests).toBe(5);
    expect(ehr.resilience?.('acme')?.breaker.state).toBe('CLOSED');
    expect(ehr.resilience?.('acme')?.health.snapshot()).toMatchObject({ calls: 5, errors: 0 });
  });

  it('the in-memory transport goes through the same Resilience (retried, counted, circuit)', async () => {
    let sent = 0;
    const ehr = connector({
      baseUrls: { acme: 'memory://acme' },
      transports: {
        acme: async () => {
          sent++;
          if (sent <= 2) throw Object.assign(new Error('outage'), { response: { status: 503 } });
          return BUNDLE;
        },
      },
    });
    expect((await ehr.forRequest('acme').patient(PATIENT))?.id).toBe(PATIENT);
    expect(sent).toBe(3);
    expect(ehr.resilience?.('acme')?.health.snapshot()).toMatchObject({ calls: 3, errors: 2 });
  });
});
