import { CircuitBreaker, DEFAULT_CIRCUIT, type CircuitOptions } from './circuit-breaker.js';
import { ConnectorError } from './connector-error.js';
import { ConnectorHealth } from './connector-health.js';
import { toConnectorError } from './http-failure.js';
import { DEFAULT_RETRY, RETRYABLE_KINDS, backoffDelay, sleep, type RetryPolicy } from './retry.js';

// What every outbound call of a connector goes through: the circuit (fail fast while the upstream is down), a
// deadline per attempt, errors turned into ConnectorError (kind, never an upstream body), bounded retries with
// backoff only for calls the caller marks idempotent, and the health window `connectorHealth` reports.

export interface ResilienceOptions {
  readonly connector: string;
  readonly timeoutMs: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly circuit?: Partial<Omit<CircuitOptions, 'now'>>;
  readonly now?: () => number;
  /** Classifies a thrown error (default: the HTTP classification of http-failure.ts). */
  readonly classify?: (operation: string, err: unknown) => ConnectorError;
}

export interface CallOptions {
  /** May the call be sent again after a failure without doing its effect twice? */
  readonly idempotent: boolean;
  /** This call's classification, over the client's: a search's 404 (wrong base URL) is not a read's 404 (no such resource). */
  readonly classify?: (operation: string, err: unknown) => ConnectorError;
}

export class Resilience {
  readonly breaker: CircuitBreaker;
  readonly health = new ConnectorHealth();
  private readonly retry: RetryPolicy;
  private readonly now: () => number;

  constructor(private readonly options: ResilienceOptions) {
    this.now = options.now ?? (() => Date.now());
    this.breaker = new CircuitBreaker({ ...DEFAULT_CIRCUIT, ...options.circuit, now: this.now });
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  async call<T>(operation: string, fn: (signal: AbortSignal) => Promise<T>, callOptions: CallOptions): Promise<T> {
    const attempts = callOptions.idempotent ? this.retry.attempts : 1;
    let last: ConnectorError | null = null;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await sleep(backoffDelay(this.retry, attempt - 1));
      if (!this.breaker.tryAcquire()) {
        throw (
          last ??
          new ConnectorError(
            this.options.connector,
            'UNAVAILABLE',
            null,
            `${this.options.connector}: circuit open after repeated failures; not calling ${operation}`,
          )
        );
      }
      const started = this.now();
      try {
        const result = await fn(AbortSignal.timeout(this.options.timeoutMs));
        this.breaker.onSuccess();
        this.health.record(this.now() - started, true);
        return result;
      } catch (err) {
        const error =
          callOptions.classify?.(operation, err) ??
          this.options.classify?.(operation, err) ??
          toConnectorError(this.options.connector, operation, err);
        const outage = RETRYABLE_KINDS.has(error.kind);
        if (outage) this.breaker.onFailure();
        else this.breaker.onNeutral();
        this.health.record(this.now() - started, !outage, error.kind);
        if (!outage) throw error;
        last = error;
      }
    }
    throw last!;
  }
}
