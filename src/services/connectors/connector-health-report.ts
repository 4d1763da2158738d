import type { CircuitState } from '../../../connectors/common/circuit-breaker.js';
import type { HealthSnapshot } from '../../../connectors/common/connector-health.js';
import type { Resilience } from '../../../connectors/common/resilient-call.js';

// `connectorHealth`: each outbound connector's circuit and rolling health (connectors/common/connector-health.ts)
// as this gateway process saw them. Per process on purpose: replicas each call upstreams and each keep a circuit.

export interface ConnectorHealthReport extends HealthSnapshot {
  readonly connector: string;
  readonly circuit: CircuitState;
}

export function connectorHealth(resilience: Readonly<Record<string, Resilience>>): ConnectorHealthReport[] {
  return Object.entries(resilience).map(([connector, r]) => ({ connector, circuit: r.breaker.state, ...r.health.snapshot() }));
}
