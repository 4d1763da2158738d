import { ConnectorError } from '../../common/connector-error.js';
import { HttpStatusError } from '../../common/http-failure.js';
import { Resilience, type ResilienceOptions } from '../../common/resilient-call.js';
import type { SmartTokenSource } from './smart-token-source.js';

// One tenant's FHIR server as every EHR call sees it: reads (the reader's searches), writes (write-back, messaging,
// billing) and testConnector all go through one FhirHttpClient per tenant and endpoint, so they share one base URL,
// one set of credentials (a SMART access token, connectors/ehr/client/smart-token-source.ts) and one resilience
// layer (circuit, retries, deadline, health; connectors/common/resilient-call.ts). Each call may bring its own
// classifier: a search answered 404 means a wrong base URL, a read's 404 a missing resource.
// A 401 drops the cached token and the call is sent once more with a new one (the token may have been revoked or
// expired early); a second 401 is UNAUTHORIZED. Non-2xx bodies are never read into an error.
// No redirect is followed (`redirect: 'manual'`): a 3xx answer is REJECTED, never retried, and nothing is sent to its
// Location. Followed, it would send search terms, patient ids and (after a 307/308) write bodies to another host and
// take that host's answers as the tenant's data.

export interface FhirCall {
  /** Short and PHI-free, for errors and health: "Condition search", "Patient read". */
  readonly operation: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Relative to the base URL, query included. Holds patient ids: never logged. */
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** May the call be repeated after an outage without doing its effect twice? */
  readonly idempotent: boolean;
  readonly classify?: (operation: string, err: unknown) => ConnectorError;
  /** Checks a 2xx body inside the attempt (so a broken answer is retried and counted like a 5xx). */
  readonly check?: (body: unknown) => void;
  /** Called before each attempt is sent (tests and metrics count requests). */
  readonly onSend?: () => void;
}

export interface FhirAnswer {
  readonly status: number;
  readonly body: unknown;
}

export interface FhirHttpClientOptions {
  readonly tenant: string;
  readonly baseUrl: string;
  readonly timeoutMs: number;
  /** null: no Authorization header (an open server, such as the embedded one without auth mode). */
  readonly tokens: SmartTokenSource | null;
  readonly resilience?: Pick<ResilienceOptions, 'retry' | 'circuit' | 'now'>;
  /** Sees every request actually sent (retries included): metrics and tests. */
  readonly onRequest?: (event: { readonly tenant: string; readonly method: string; readonly url: string }) => void;
}

export class FhirHttpClient {
  readonly resilience: Resilience;
  readonly baseUrl: string;

  constructor(private readonly options: FhirHttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.resilience = new Resilience({ ...options.resilience, connector: 'ehr', timeoutMs: options.timeoutMs });
  }

  get tenant(): string {
    return this.options.tenant;
  }

  get authenticated(): boolean {
    return this.options.tokens !== null;
  }

  /** The token source, for testConnector's step-by-step report. */
  get tokens(): SmartTokenSource | null {
    return this.options.tokens;
  }

  async request(call: FhirCall): Promise<FhirAnswer> {
    return this.resilience.call(
      call.operation,
      async (signal) => {
        this.options.onRequest?.({ tenant: this.options.tenant, method: call.method, url: call.path });
        call.onSend?.();
        const tokens = this.options.tokens;
        let token = tokens ? await tokens.token(signal) : null;
        let res = await this.send(call, token, signal);
        if (res.status === 401 && tokens && token) {
          await res.body?.cancel();
          tokens.invalidate(token);
          token = await tokens.token(signal);
          res = await this.send(call, token, signal);
          if (res.status === 401) {
            await res.body?.cancel();
            throw new ConnectorError(
              'ehr',
              'UNAUTHORIZED',
              401,
              `ehr: ${call.operation} was refused: the access token is not accepted (HTTP 401)`,
            );
          }
        }
        if (res.status >= 300 && res.status < 400) {
          await res.body?.cancel();
          throw new ConnectorError(
            'ehr',
            'REJECTED',
            res.status,
            `ehr: ${call.operation}: the FHIR server answered with a redirect (HTTP ${res.status}), which is not followed`,
          );
        }
        if (res.status >= 300) {
          await res.body?.cancel();
          throw new HttpStatusError({ status: res.status });
        }
        const text = await res.text();
        let body: unknown;
        try {
          body = JSON.parse(text) as unknown;
        } catch {
          throw new ConnectorError('ehr', 'UNAVAILABLE', res.status, `ehr: ${call.operation} did not answer JSON`);
        }
        call.check?.(body);
        return { status: res.status, body };
      },
      { idempotent: call.idempotent, ...(call.classify ? { classify: call.classify } : {}) },
    );
  }

  private send(call: FhirCall, token: string | null, signal: AbortSignal): Promise<Response> {
    const hasBody = call.body !== undefined;
    return fetch(`${this.baseUrl}/${call.path}`, {
      method: call.method,
      signal,
      redirect: 'manual',
      headers: {
        accept: 'application/fhir+json',
        ...(hasBody ? { 'content-type': 'application/fhir+json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...call.headers,
      },
      ...(hasBody ? { body: JSON.stringify(call.body) } : {}),
    });
  }
}
