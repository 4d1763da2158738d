import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

// OpenTelemetry traces (issue 17). The code speaks only @opentelemetry/api: without the SDK every span is the API's
// no-op. The SDK is set up here, only when OTEL_EXPORTER_OTLP_ENDPOINT is configured, exporting OTLP/HTTP.
// Attributes are ids of our own (request id), operations as type and root fields, tenants, resource types and outcomes;
// never a patient id, a search's parameters, variables or a response (test/server/tracing.test.ts greps for the
// PHI canary in what a real OTLP receiver got).

export const tracer = trace.getTracer('clearance');

export interface Tracing {
  /** Exports what is buffered, then stops. */
  shutdown(): Promise<void>;
}

export function startTracing(endpoint: string, serviceName = 'clearance'): Tracing {
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })],
  });
  // Registers the provider and the AsyncLocalStorage context manager: a FHIR call's span is its operation's child.
  provider.register();
  return {
    async shutdown() {
      await provider.forceFlush();
      await provider.shutdown();
      trace.disable();
    },
  };
}
