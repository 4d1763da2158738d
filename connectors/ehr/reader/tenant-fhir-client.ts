import type { Bundle, Resource } from '@medplum/fhirtypes';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { SearchParams } from 'fhir-kit-client';
import { ConnectorError } from '../../common/connector-error.js';
import { toConnectorError } from '../../common/http-failure.js';
import { Resilience, type ResilienceOptions } from '../../common/resilient-call.js';
import { FhirHttpClient } from '../client/fhir-http-client.js';
import type { FhirSearchTransport } from './memory-fhir-transport.js';

// One tenant's FHIR endpoint as the reader sees it: the tenant's FhirHttpClient underneath (the same client, token
// and resilience layer as writes; connectors/ehr/client/fhir-http-client.ts), plus paging of searches
// (https://hl7.org/fhir/R4/http.html#paging) and a search classifier. The HTTP client is asked for once per
// request and then kept: a request that started before a governed change of the endpoint finishes on the old one.

export interface FhirRequestEvent {
  readonly tenant: string;
  readonly method: 'GET';
  /** Relative to the tenant base, for example "Condition?patient=...". Holds patient ids: do not log it. */
  readonly url: string;
}

/** A search page answered or failed: its outcome (OK or the ConnectorError kind) and how long it took. */
export interface FhirResponseEvent {
  readonly tenant: string;
  readonly outcome: string;
  readonly seconds: number;
}

// The API only: without the tracing SDK (src/server/tracing.ts) these spans are no-ops.
const tracer = trace.getTracer('clearance');

export interface TenantFhirClientOptions {
  readonly tenant: string;
  /** A fixed, unauthenticated base URL (tests, tools); or `http` below. */
  readonly baseUrl?: string;
  /** The tenant's shared client, resolved once on first use (null: the tenant has no FHIR server: empty answers). */
  readonly http?: () => Promise<FhirHttpClient | null>;
  readonly timeoutMs: number;
  /** Entries asked for per search page (`_count`). */
  readonly pageSize: number;
  /** A search needing more pages than this fails rather than loading an unbounded record. */
  readonly maxPages: number;
  readonly onRequest?: (event: FhirRequestEvent) => void;
  /** Sees every search page's outcome (metrics): retries and circuit refusals included in the one outcome. */
  readonly onResponse?: (event: FhirResponseEvent) => void;
  /** Answers searches in-process instead of over HTTP (benchmark, fast tests); same reader, same searches. */
  readonly transport?: FhirSearchTransport;
  /** Retries, circuit and its clock (defaults: connectors/common/retry.ts and circuit-breaker.ts). */
  readonly resilience?: Pick<ResilienceOptions, 'retry' | 'circuit' | 'now'>;
}

/** A search answered 404 means the base URL is wrong, not that nothing matched: rejected, and not an outage. */
export function classifySearchFailure(operation: string, err: unknown): ConnectorError {
  const error = toConnectorError('ehr', operation, err);
  return error.kind === 'NOT_FOUND' ? new ConnectorError('ehr', 'REJECTED', 404, `ehr: ${operation} was rejected (HTTP 404)`) : error;
}

const EMPTY_BUNDLE: Bundle = { resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] };

export class TenantFhirClient {
  private readonly fixed: FhirHttpClient | null;
  private readonly local: Resilience | null;
  private resolved: Promise<FhirHttpClient | null> | null = null;

  constructor(private readonly options: TenantFhirClientOptions) {
    this.fixed =
      options.baseUrl && !options.http
        ? new FhirHttpClient({
            tenant: options.tenant,
            baseUrl: options.baseUrl,
            timeoutMs: options.timeoutMs,
            tokens: null,
            resilience: options.resilience,
          })
        : null;
    this.local = options.transport
      ? new Resilience({ ...options.resilience, connector: 'ehr', timeoutMs: options.timeoutMs, classify: classifySearchFailure })
      : null;
  }

  /** The resilience layer of this tenant's searches: the HTTP client's (shared with writes) or the transport's. */
  get resilience(): Resilience | null {
    return this.local ?? this.fixed?.resilience ?? null;
  }

  private http(): Promise<FhirHttpClient | null> {
    this.resolved ??= this.fixed ? Promise.resolve(this.fixed) : (this.options.http?.() ?? Promise.resolve(null));
    return this.resolved;
  }

  get pageSize(): number {
    return this.options.pageSize;
  }

  /**
   * One search, one page, in a span of its own (attributes: tenant and resource type only; the search parameters hold
   * patient ids and never leave in a span).
   */
  async searchPage<T extends Resource>(resourceType: T['resourceType'], params: SearchParams): Promise<Bundle<T>> {
    const { tenant, onResponse } = this.options;
    const attributes = { 'clearance.tenant': tenant, 'fhir.resource_type': resourceType };
    return tracer.startActiveSpan('fhir.search', { kind: SpanKind.CLIENT, attributes }, async (span) => {
      const started = performance.now();
      let outcome = 'OK';
      try {
        return await this.searchPageNow<T>(resourceType, params);
      } catch (e) {
        outcome = e instanceof ConnectorError ? e.kind : 'ERROR';
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.setAttribute('error.type', outcome);
        throw e;
      } finally {
        span.end();
        onResponse?.({ tenant, outcome, seconds: (performance.now() - started) / 1000 });
      }
    });
  }

  /** One search, one page; sent again after an outage or a timeout, refused at once while the circuit is open. */
  private async searchPageNow<T extends Resource>(resourceType: T['resourceType'], params: SearchParams): Promise<Bundle<T>> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      for (const item of Array.isArray(value) ? value : [value]) query.append(key, String(item));
    }
    const url = `${resourceType}?${query.toString()}`;
    const operation = `${resourceType} search`;
    const { tenant, transport } = this.options;
    // Inside the call: a server answering a search with something else is broken, like a 5xx (retried, counted).
    const check = (result: unknown): void => {
      if ((result as Resource | undefined)?.resourceType !== 'Bundle') {
        throw new ConnectorError('ehr', 'UNAVAILABLE', null, `ehr: ${operation} did not answer a Bundle`);
      }
    };
    if (transport && this.local) {
      return this.local.call(
        operation,
        async () => {
          this.options.onRequest?.({ tenant, method: 'GET', url });
          const result: unknown = await transport(resourceType, params);
          check(result);
          return result as Bundle<T>;
        },
        { idempotent: true },
      );
    }
    const http = await this.http();
    if (!http) return EMPTY_BUNDLE as Bundle<T>;
    // A search is a GET, safe and idempotent (https://hl7.org/fhir/R4/http.html#search): retrying cannot do anything twice.
    const answer = await http.request({
      operation,
      method: 'GET',
      path: url,
      idempotent: true,
      classify: classifySearchFailure,
      check,
      // Per attempt: the hook sees requests actually sent, retries included, none while the circuit is open.
      onSend: () => this.options.onRequest?.({ tenant, method: 'GET', url }),
    });
    return answer.body as Bundle<T>;
  }

  /**
   * Every match, page by page with `_offset` while pages come back full (medplum gives no next links).
   * `enough` lets a caller stop early, for example once each patient has its newest N observations.
   */
  async searchAll<T extends Resource>(
    resourceType: T['resourceType'],
    params: SearchParams,
    enough?: (soFar: readonly T[]) => boolean,
  ): Promise<T[]> {
    const { pageSize, maxPages } = this.options;
    const all: T[] = [];
    for (let page = 0; page < maxPages; page++) {
      const bundle = await this.searchPage<T>(resourceType, { ...params, _count: pageSize, _offset: page * pageSize });
      const entries = (bundle.entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource] : []));
      all.push(...entries);
      const exhausted = entries.length < pageSize || (bundle.total !== undefined && all.length >= bundle.total);
      if (exhausted || enough?.(all)) return all;
    }
    throw new ConnectorError('ehr', 'REJECTED', null, `ehr: ${resourceType} search has more than ${maxPages} pages`);
  }

  /** The number of matches, without transferring them: `_count=0&_total=accurate` (https://hl7.org/fhir/R4/search.html#total). */
  async count(resourceType: Resource['resourceType'], params: SearchParams): Promise<number> {
    const bundle = await this.searchPage(resourceType, { ...params, _count: 0, _total: 'accurate' });
    if (typeof bundle.total !== 'number') {
      throw new ConnectorError('ehr', 'UNAVAILABLE', null, `ehr: ${resourceType} count did not report a total`);
    }
    return bundle.total;
  }
}
