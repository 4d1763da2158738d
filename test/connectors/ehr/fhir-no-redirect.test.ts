import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../connectors/common/connector-error.js';
import { FhirHttpClient } from '../../../connectors/ehr/client/fhir-http-client.js';
import { classifySearchFailure } from '../../../connectors/ehr/reader/tenant-fhir-client.js';

// FHIR data calls follow no redirect: with two real servers, the first answering every request with a redirect to
// the second, a read, a search and a write each fail with REJECTED after exactly one request to the first (never
// retried), and the second receives nothing (no search terms, no ids, no body).

const STATUSES = [301, 302, 303, 307, 308] as const;
const first: { method: string; url: string }[] = [];
const second: { method: string; url: string }[] = [];
let redirectStatus = 307;
let secondUrl = '';
let firstUrl = '';

const other = createServer((req, res) => {
  second.push({ method: req.method ?? '', url: req.url ?? '' });
  res.writeHead(200, { 'content-type': 'application/fhir+json' });
  res.end(JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: [] }));
});
const redirecting = createServer((req, res) => {
  first.push({ method: req.method ?? '', url: req.url ?? '' });
  req.resume();
  res.writeHead(redirectStatus, { location: `${secondUrl}${req.url ?? ''}` });
  res.end();
});

const listen = async (s: Server) => {
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  secondUrl = await listen(other);
  firstUrl = await listen(redirecting);
});
afterAll(async () => {
  await Promise.all([other, redirecting].map((s) => new Promise((resolve) => s.close(resolve))));
});

const DOC = { resourceType: 'DocumentReference' };
const CALLS = [
  { operation: 'Patient read', method: 'GET', path: 'Patient/p-1', idempotent: true },
  { operation: 'Patient search', method: 'GET', path: 'Patient?name=Durgan', idempotent: true, classify: classifySearchFailure },
  { operation: 'DocumentReference create', method: 'POST', path: 'DocumentReference', idempotent: false, body: DOC },
  { operation: 'DocumentReference update', method: 'PUT', path: 'DocumentReference/d-1', idempotent: true, body: DOC },
] as const;

describe('the EHR client follows no redirect', () => {
  for (const status of STATUSES) {
    for (const call of CALLS) {
      it(`${call.operation} answered ${status}: REJECTED, sent once, nothing reaches the Location`, async () => {
        redirectStatus = status;
        first.length = 0;
        second.length = 0;
        const client = new FhirHttpClient({
          tenant: 'acme',
          baseUrl: `${firstUrl}/fhir`,
          timeoutMs: 2000,
          tokens: null,
          resilience: { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 } },
        });
        const err = await client.request(call).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ConnectorError);
        expect(err).toMatchObject({ kind: 'REJECTED', status });
        expect((err as Error).message).toContain('redirect');
        expect(first).toEqual([{ method: call.method, url: `/fhir/${call.path}` }]);
        expect(second).toEqual([]);
      });
    }
  }
});
