// /readyz: is this replica able to serve? The store answers a ping and each tenant's FHIR server answers
// `/metadata` (its CapabilityStatement), each within a short timeout. The answer names the dependencies and whether
// each is ok, never a URL (it may carry credentials) or an upstream's body.

export interface ReadinessCheck {
  readonly name: string;
  run(signal: AbortSignal): Promise<void>;
}

type CheckOutcome = 'ok' | 'failed' | 'timeout';

export interface Readiness {
  readonly ready: boolean;
  readonly checks: Record<string, CheckOutcome>;
}

export async function checkReadiness(checks: readonly ReadinessCheck[], timeoutMs: number): Promise<Readiness> {
  const outcomes = await Promise.all(
    checks.map(async (c): Promise<[string, CheckOutcome]> => {
      const signal = AbortSignal.timeout(timeoutMs);
      const timedOut = new Promise<CheckOutcome>((resolve) => signal.addEventListener('abort', () => resolve('timeout'), { once: true }));
      const ran = c.run(signal).then(
        (): CheckOutcome => 'ok',
        (): CheckOutcome => (signal.aborted ? 'timeout' : 'failed'),
      );
      return [c.name, await Promise.race([ran, timedOut])];
    }),
  );
  const result = Object.fromEntries(outcomes);
  return { ready: outcomes.every(([, o]) => o === 'ok'), checks: result };
}

export function storeCheck(store: { ping(): Promise<void> }): ReadinessCheck {
  return { name: 'store', run: () => store.ping() };
}

/** GET <base>/metadata must answer 2xx; the body is read and dropped (it is the server's, not ours to repeat). */
export function fhirMetadataCheck(tenant: string, baseUrl: string): ReadinessCheck {
  const url = `${baseUrl.replace(/\/+$/, '')}/metadata`;
  return {
    name: `fhir:${tenant}`,
    async run(signal) {
      const res = await fetch(url, { signal, headers: { accept: 'application/fhir+json' } });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`status ${res.status}`);
    },
  };
}
