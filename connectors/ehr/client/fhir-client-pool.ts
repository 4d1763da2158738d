import type { ResilienceOptions } from '../../common/resilient-call.js';
import { FhirHttpClient, type FhirHttpClientOptions } from './fhir-http-client.js';
import { SmartTokenSource, type ConnectorCredential } from './smart-token-source.js';

// The FHIR clients of a gateway process: one per scope (a tenant's EHR in the gateway's environment, or a
// connector being tested) and endpoint generation. An endpoint is where and as whom to call: base URL, credentials
// (named by fingerprint) and scopes. When any of them changes (a governed change applied), the next caller
// gets a new client (new token, new circuit) while calls already holding the old one finish on it: the switch
// happens for reads and writes together at the moment the change is committed, since both ask the same pool.

export interface EhrEndpoint {
  readonly baseUrl: string;
  /** null: call without Authorization. */
  readonly credential: ConnectorCredential | null;
  /** Names the credential (client id and fingerprint): a rotated credential is a new generation. */
  readonly credentialKey: string | null;
  readonly scopes: readonly string[];
}

export interface FhirClientPoolOptions {
  readonly timeoutMs: number;
  readonly resilience?: Pick<ResilienceOptions, 'retry' | 'circuit' | 'now'>;
  readonly onRequest?: FhirHttpClientOptions['onRequest'];
  /** Clock of token expiry (ms); default Date.now. */
  readonly now?: () => number;
}

/** Clients kept per scope: the current one and a few just replaced (still serving in-flight calls). */
const KEPT_PER_SCOPE = 4;

function generationOf(endpoint: EhrEndpoint): string {
  return JSON.stringify([
    endpoint.baseUrl.replace(/\/+$/, ''),
    endpoint.credential ? endpoint.credential.method : null,
    endpoint.credentialKey,
    [...endpoint.scopes].sort(),
  ]);
}

export class FhirClientPool {
  private readonly scopes = new Map<string, Map<string, FhirHttpClient>>();

  constructor(private readonly options: FhirClientPoolOptions) {}

  /** The client of `scope` for this endpoint: the same object for every caller while the endpoint is unchanged. */
  client(scope: string, tenant: string, endpoint: EhrEndpoint): FhirHttpClient {
    let clients = this.scopes.get(scope);
    if (!clients) {
      clients = new Map();
      this.scopes.set(scope, clients);
    }
    const generation = generationOf(endpoint);
    const existing = clients.get(generation);
    if (existing) {
      // Most recently asked for last: current() reads the last entry.
      clients.delete(generation);
      clients.set(generation, existing);
      return existing;
    }
    const baseUrl = endpoint.baseUrl.replace(/\/+$/, '');
    const tokens = endpoint.credential
      ? new SmartTokenSource({
          connector: 'ehr',
          baseUrl,
          credential: endpoint.credential,
          scopes: endpoint.scopes,
          ...(this.options.now ? { now: this.options.now } : {}),
        })
      : null;
    const client = new FhirHttpClient({
      tenant,
      baseUrl,
      timeoutMs: this.options.timeoutMs,
      tokens,
      resilience: this.options.resilience,
      onRequest: this.options.onRequest,
    });
    clients.set(generation, client);
    while (clients.size > KEPT_PER_SCOPE) clients.delete(clients.keys().next().value!);
    return client;
  }

  /** The client most recently asked for in `scope` (its circuit and health are the scope's), or null. */
  current(scope: string): FhirHttpClient | null {
    const clients = this.scopes.get(scope);
    if (!clients || clients.size === 0) return null;
    return [...clients.values()].at(-1) ?? null;
  }
}
