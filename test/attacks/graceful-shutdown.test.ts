import { describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

// Issue 7: a shutdown stops accepting, lets requests in flight finish (up to SHUTDOWN_TIMEOUT_MS), then stops the
// outbox worker and the stores. Measured with a FHIR server that answers slowly, so a request is surely in flight.

const PATIENT = '0ac13d55-d566-450a-aea0-f6a71f1ad73b';

describe('graceful shutdown', () => {
  it('a request in flight finishes with its data; new connections are refused after', async () => {
    const h = await startHarness();
    const token = await h.token({ roles: ['clinician'], departments: ['cardiology'] });
    h.running.fhir!.setFault('slow', { delayMs: 700 });
    const before = h.running.fhir!.requests.length;
    const inFlight = h.gql(token, `{ patient(id: "${PATIENT}") { name } }`);
    await untilInFlight(h, before);
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
    // The request would be answered after 60 s, twice the test's limit; the shutdown deadline is 300 ms. A cut request
    // and the "shutdown timeout" line are the deadline firing: a shutdown that waited for the request never shows them.
    h.running.fhir!.setFault('slow', { delayMs: 60_000 });
    const before = h.running.fhir!.requests.length;
    const inFlight = h.gql(token, `{ patient(id: "${PATIENT}") { name } }`).then(
      () => 'answered',
      () => 'cut',
    );
    await untilInFlight(h, before);
    await h.stop();
    expect(await inFlight).toBe('cut');
    expect(h.logLines.some((l) => l.includes('shutdown timeout'))).toBe(true);
  });
});

/** Waits until the FHIR server has received the request (not a fixed sleep, which a loaded machine can outrun). */
async function untilInFlight(h: Harness, before: number): Promise<void> {
  for (let i = 0; i < 500 && h.running.fhir!.requests.length <= before; i++) await new Promise((r) => setTimeout(r, 20));
}
