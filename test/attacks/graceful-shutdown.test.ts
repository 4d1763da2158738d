import { describe, expect, it } from 'vitest';
import { startHarness } from '../support/harness.js';

// Issue 7: a shutdown stops accepting, lets requests in flight finish (up to SHUTDOWN_TIMEOUT_MS), then stops the
// outbox worker and the stores. Measured with a FHIR server that answers slowly, so a request is surely in flight.

const PATIENT = '0ac13d55-d566-450a-aea0-f6a71f1ad73b';

describe('graceful shutdown', () => {
  it('a request in flight finishes with its data; new connections are refused after', async () => {
    const h = await startHarness();
    const token = await h.token({ roles: ['clinician'], departments: ['cardiology'] });
    h.running.fhir!.setFault('slow', { delayMs: 700 });
    const inFlight = h.gql(token, `{ patient(id: "${PATIENT}") { name } }`);
    await new Promise((r) => setTimeout(r, 150));
    const stopped = h.stop();
    const r = await inFlight;
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: { patient: { name: 'Dennis Durgan' } } });
    await stopped;
    await expect(fetch(h.url.replace(/\/graphql$/, '/healthz'))).rejects.toThrow();
  });

  it('a request that outlives SHUTDOWN_TIMEOUT_MS is cut, and the shutdown still completes on time', async () => {
    const h = await startHarness({ env: { SHUTDOWN_TIMEOUT_MS: '300', FHIR_TIMEOUT_MS: '20000' } });
    const token = await h.token({ roles: ['clinician'], departments: ['cardiology'] });
    h.running.fhir!.setFault('slow', { delayMs: 5_000 });
    const inFlight = h.gql(token, `{ patient(id: "${PATIENT}") { name } }`).then(
      () => 'answered',
      () => 'cut',
    );
    await new Promise((r) => setTimeout(r, 150));
    const started = Date.now();
    await h.stop();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await inFlight).toBe('cut');
    expect(h.logLines.some((l) => l.includes('shutdown timeout'))).toBe(true);
  });
});
