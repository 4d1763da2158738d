import { envField, fail, ok, type FieldResult } from './env-field.js';
import { integer, url } from './env-parsers.js';

// Metrics and traces (issue 17). /metrics (Prometheus text) answers: with METRICS_TOKEN set, only a request bearing
// that token; with METRICS_PORT set, on its own listener (bound to HOST, the scraper's network) and not on the API
// port; otherwise only in embedded mode and only to a loopback client. Production without either serves no metrics.
// OTEL_EXPORTER_OTLP_ENDPOINT (the OpenTelemetry variable, https://opentelemetry.io/docs/specs/otel/protocol/exporter/)
// turns the tracing SDK on; unset, spans are the API's no-ops.

function token(raw: string): FieldResult<string> {
  return raw.length >= 16 ? ok(raw) : fail('must be at least 16 characters');
}

export const OBSERVABILITY_ENV = {
  METRICS_TOKEN: envField(token),
  METRICS_PORT: envField(integer(0, 65_535)),
  OTEL_EXPORTER_OTLP_ENDPOINT: envField(url(['http:', 'https:'])),
};

export interface ObservabilityConfig {
  readonly metrics: {
    /** Bearer token /metrics requires (null: none). */
    readonly token: string | null;
    /** A separate listener for /metrics (null: the API port). */
    readonly port: number | null;
  };
  /** OTLP/HTTP base URL of the trace collector (null: tracing off). */
  readonly otlpEndpoint: string | null;
}

interface ObservabilityEnv {
  METRICS_TOKEN?: string | undefined;
  METRICS_PORT?: number | undefined;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
}

export function observabilityConfig(e: ObservabilityEnv): ObservabilityConfig {
  return {
    metrics: { token: e.METRICS_TOKEN ?? null, port: e.METRICS_PORT ?? null },
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT ?? null,
  };
}
