import type { Resilience, ResilienceOptions } from '../common/resilient-call.js';
import type { FhirHttpClient } from './client/fhir-http-client.js';
import type { EhrConnector, EhrReader } from './ehr-reader.js';
import { emptyEhrReader } from './reader/empty-reader.js';
import { FhirEhrReader } from './reader/fhir-ehr-reader.js';
import type { FhirSearchTransport } from './reader/memory-fhir-transport.js';
import { TenantFhirClient } from './reader/tenant-fhir-client.js';
import type { FhirRequestEvent, FhirResponseEvent } from './reader/tenant-fhir-client.js';

// The EHR connector: a FHIR R4 REST client per tenant, and per request an EhrReader with its own
// DataLoaders. Failures surface as ConnectorError('ehr', kind, status, message) with no upstream body:
// refused/reset connection and 5xx → UNAVAILABLE, deadline → TIMEOUT, 409/412 → CONFLICT, other 4xx → REJECTED;
// a 404 or an invalid id on a read is null. A tenant without a base URL gets the empty reader (no patients).
// With `clientFor`, the tenant's client comes from the gateway's shared pool (the one writes use, authenticated,
// connectors/ehr/client/fhir-client-pool.ts), asked for once per request.
// Each tenant's client holds one Resilience for the connector's lifetime, shared by all requests: searches are
// retried after outages and fail fast while that tenant's circuit is open (connectors/common/resilient-call.ts).

export type { FhirRequestEvent } from './reader/tenant-fhir-client.js';

export interface EhrConnectorOptions {
  /** FHIR base URL per tenant, for example `{ acme: 'http://127.0.0.1:8080/fhir/acme' }`. */
  readonly baseUrls: Readonly<Record<string, string>>;
  /** The tenant's shared FHIR client, asked once per request; when given, `baseUrls` is not used for HTTP. */
  readonly clientFor?: (tenant: string) => Promise<FhirHttpClient | null>;
  /** The tenant's current shared client (for `connectorHealth`), with `clientFor`. */
  readonly currentClient?: (tenant: string) => FhirHttpClient | null;
  /** Deadline of each HTTP call to the FHIR server. */
  readonly timeoutMs: number;
  /** Patient ids per search request (default 100: ~5 KB of query, under common 8 KB request-line limits). */
  readonly chunkSize?: number;
  /**
   * `_count` per search page (default 10000): a page of patients' rows of one type fits one request, so requests stay
   * constant in the number of patients (a server that caps `_count` lower is paged, never per patient).
   */
  readonly pageSize?: number;
  /** Pages a single search may take before it fails (default 50). */
  readonly maxPages?: number;
  /** Sees every FHIR request before it is sent: metrics, tests counting requests. */
  readonly onRequest?: (event: FhirRequestEvent) => void;
  /** Sees every search page's outcome and duration (metrics). */
  readonly onResponse?: (event: FhirResponseEvent) => void;
  /** Per tenant, answer searches in-process instead of over HTTP (see reader/memory-fhir-transport.ts). */
  readonly transports?: Readonly<Record<string, FhirSearchTransport>>;
  /** Clock for age bands (default: the system clock). */
  readonly now?: () => Date;
  /**
   * Retries, circuit and the circuit's clock of every tenant's searches (defaults: 3 attempts from 100 ms, open after
   * 5 outages for 30 s).
   */
  readonly resilience?: Pick<ResilienceOptions, 'retry' | 'circuit' | 'now'>;
}

export function createEhrConnector(options: EhrConnectorOptions): EhrConnector {
  const chunkSize = options.chunkSize ?? 100;
  const pageSize = options.pageSize ?? 10_000;
  const now = options.now ?? (() => new Date());
  const clients = new Map<string, TenantFhirClient>();
  for (const [tenant, baseUrl] of Object.entries(options.baseUrls)) {
    clients.set(
      tenant,
      new TenantFhirClient({
        tenant,
        baseUrl: baseUrl.replace(/\/+$/, ''),
        timeoutMs: options.timeoutMs,
        pageSize,
        maxPages: options.maxPages ?? 50,
        onRequest: options.onRequest,
        onResponse: options.onResponse,
        transport: options.transports?.[tenant],
        resilience: options.resilience,
      }),
    );
  }
  const { clientFor, currentClient } = options;
  if (clientFor) {
    return {
      name: 'ehr',
      forRequest(tenant: string): EhrReader {
        const client = new TenantFhirClient({
          tenant,
          http: () => clientFor(tenant),
          timeoutMs: options.timeoutMs,
          pageSize,
          maxPages: options.maxPages ?? 50,
          onRequest: options.onRequest,
          onResponse: options.onResponse,
        });
        return new FhirEhrReader({ tenant, client, chunkSize, now });
      },
      resilience: (tenant: string): Resilience | null => currentClient?.(tenant)?.resilience ?? null,
    };
  }
  return {
    name: 'ehr',
    forRequest(tenant: string): EhrReader {
      const client = clients.get(tenant);
      return client ? new FhirEhrReader({ tenant, client, chunkSize, now }) : emptyEhrReader();
    },
    resilience(tenant: string): Resilience | null {
      return clients.get(tenant)?.resilience ?? null;
    },
  };
}
