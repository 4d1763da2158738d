// Rolling health of one connector: latency and error rate over the last calls. Read by `connectorHealth`.

export interface HealthSnapshot {
  readonly calls: number;
  readonly errors: number;
  /** errors / calls over the window; 0 without calls. */
  readonly errorRate: number;
  readonly p50LatencyMs: number | null;
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
}

export class ConnectorHealth {
  private readonly window: { ms: number; ok: boolean }[] = [];
  private lastError: { kind: string; at: number } | null = null;

  constructor(private readonly size = 100) {}

  record(ms: number, ok: boolean, errorKind?: string, at = Date.now()): void {
    this.window.push({ ms, ok });
    if (this.window.length > this.size) this.window.shift();
    if (!ok) this.lastError = { kind: errorKind ?? 'UNAVAILABLE', at };
  }

  snapshot(): HealthSnapshot {
    const calls = this.window.length;
    const errors = this.window.filter((c) => !c.ok).length;
    const sorted = this.window.map((c) => c.ms).sort((a, b) => a - b);
    return {
      calls,
      errors,
      errorRate: calls ? errors / calls : 0,
      p50LatencyMs: calls ? (sorted[Math.floor((calls - 1) / 2)] ?? null) : null,
      lastError: this.lastError?.kind ?? null,
      lastErrorAt: this.lastError ? new Date(this.lastError.at).toISOString() : null,
    };
  }
}
