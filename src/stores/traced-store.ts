import { SpanStatusCode, trace } from '@opentelemetry/api';
import { withCommit, type GovernanceStore } from './governance-store.js';

// A span per store commit (issue 17), wrapped around the store only when tracing is on, so the default pays nothing.
// Attributes: the tenant and the kinds of ops committed (a closed set), never their contents.

const tracer = trace.getTracer('clearance');

export function withCommitSpans(store: GovernanceStore): GovernanceStore {
  const commit: GovernanceStore['commit'] = (tenant, ops) =>
    tracer.startActiveSpan(
      'store.commit',
      { attributes: { 'clearance.tenant': tenant, 'clearance.store.ops': [...new Set(ops.map((o) => o.type))].sort() } },
      async (span) => {
        try {
          const result = await store.commit(tenant, ops);
          span.setAttribute('clearance.store.committed', result.ok);
          return result;
        } catch (e) {
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw e;
        } finally {
          span.end();
        }
      },
    );
  return withCommit(store, commit);
}
