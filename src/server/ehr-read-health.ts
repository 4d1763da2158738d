import type { CircuitState } from '../../connectors/common/circuit-breaker.js';
import type { Resilience } from '../../connectors/common/resilient-call.js';
import type { EhrConnector } from '../../connectors/ehr/ehr-reader.js';
import type { ConnectorHealthReport } from '../services/connectors/connector-health-report.js';
import type { ConnectorServices } from '../services/connectors/connector-services.js';

// `connectorHealth` shows one "ehr" entry per tenant. EHR reads (the reader's Resilience per tenant, built with the
// EHR connector) and EHR writes (the FhirWriter's, built with the connector services) keep separate circuits over the
// same tenant's FHIR server; the entry combines them rather than listing two "ehr" healths that could disagree:
// - circuit: the worse of the two (OPEN if either fails fast);
// - calls and errors: summed, error rate over the sum;
// - p50LatencyMs: the slower side's median (the median of the union lies between the two, so this errs high);
// - lastError: the more recent of the two.

const SEVERITY: Readonly<Record<CircuitState, number>> = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2 };

export function combineEhrHealth(writes: ConnectorHealthReport, reads: Resilience): ConnectorHealthReport {
  const r = { circuit: reads.breaker.state, ...reads.health.snapshot() };
  const calls = writes.calls + r.calls;
  const errors = writes.errors + r.errors;
  const medians = [writes.p50LatencyMs, r.p50LatencyMs].filter((m): m is number => m !== null);
  // ISO-8601 UTC timestamps of the same format compare as strings.
  const latest = (r.lastErrorAt ?? '') > (writes.lastErrorAt ?? '') ? r : writes;
  return {
    connector: writes.connector,
    circuit: SEVERITY[r.circuit] > SEVERITY[writes.circuit] ? r.circuit : writes.circuit,
    calls,
    errors,
    errorRate: calls ? errors / calls : 0,
    p50LatencyMs: medians.length ? Math.max(...medians) : null,
    lastError: latest.lastError,
    lastErrorAt: latest.lastErrorAt,
  };
}

/** The connector services with the EHR reader's health folded into their "ehr" entry. */
export function withEhrReadHealth<S extends ConnectorServices>(services: S, ehr: EhrConnector): S {
  return {
    ...services,
    health(tenant: string): ConnectorHealthReport[] {
      const reads = ehr.resilience?.(tenant) ?? null;
      return services.health(tenant).map((report) => (reads && report.connector === ehr.name ? combineEhrHealth(report, reads) : report));
    },
  };
}
