// A circuit breaker per connector endpoint: after `failureThreshold` consecutive failures (outages and timeouts,
// never a refused or conflicting request) it opens and fails calls at once; after `coolDownMs` it half-opens and lets
// one trial call through: success closes it, failure opens it again. Pure state over an injected clock.

export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface CircuitOptions {
  readonly failureThreshold: number;
  readonly coolDownMs: number;
  readonly now: () => number;
}

export const DEFAULT_CIRCUIT: Omit<CircuitOptions, 'now'> = { failureThreshold: 5, coolDownMs: 30_000 };

export class CircuitBreaker {
  private consecutiveFailures = 0;
  private openedAt: number | null = null;
  private trialInFlight = false;

  constructor(private readonly options: CircuitOptions) {}

  get state(): CircuitState {
    if (this.openedAt === null) return 'CLOSED';
    return this.options.now() - this.openedAt >= this.options.coolDownMs ? 'HALF_OPEN' : 'OPEN';
  }

  /** May a call go out now? In HALF_OPEN only one trial call at a time. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'CLOSED') return true;
    if (state === 'OPEN' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  onSuccess(): void {
    this.consecutiveFailures = 0;
    this.openedAt = null;
    this.trialInFlight = false;
  }

  onFailure(): void {
    this.trialInFlight = false;
    this.consecutiveFailures++;
    if (this.openedAt !== null || this.consecutiveFailures >= this.options.failureThreshold) this.openedAt = this.options.now();
  }

  /** A call that ended without saying anything about the upstream's health (a 4xx): frees the trial slot. */
  onNeutral(): void {
    if (this.trialInFlight) this.onSuccess();
  }
}
