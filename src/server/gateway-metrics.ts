import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestRecord } from './request-log.js';

// The gateway's Prometheus metrics (issue 17), on a registry of its own (two gateways in one process, as in tests,
// never share counts). Labels are closed sets or names from our own catalogue: operations as their type and root
// fields (capped; request-log.ts operationLabel), outcomes (error codes), permission rule names, risks, tenants,
// circuit states. Never a patient, an id, a variable, an operation name or a path a client chose. Decisions (several
// per request, once per row class) are tallied in plain maps and read into the counter when it is scraped, so neither
// the guard's hot path nor a request hashes labels.

export interface ApprovalQueueStat {
  readonly risk: string;
  readonly depth: number;
  /** Age of the oldest pending change, seconds (0 when none). */
  readonly oldestSeconds: number;
}

/** What is read at scrape time rather than counted as it happens. */
export interface MetricSources {
  readonly approvals?: () => Promise<readonly ApprovalQueueStat[]>;
  /** Circuit state of each tenant's FHIR searches. */
  readonly circuits?: () => readonly { readonly tenant: string; readonly state: 'CLOSED' | 'OPEN' | 'HALF_OPEN' }[];
  /** The audit archiver's records still waiting to leave the hot window (src/services/audit/audit-archiver.ts). */
  readonly archivePending?: () => number | null;
}

/** The gateway's tally of permission decisions (rules/guard-context.ts DecisionSink), read by the counter on a scrape. */
class DecisionTally {
  /** Permission -> outcome -> count: two lookups per decision and no key built (a nested list decides per patient). */
  readonly counts = new Map<string, Map<string, number>>();

  decided(permission: string, outcome: string): void {
    let byOutcome = this.counts.get(permission);
    if (!byOutcome) {
      byOutcome = new Map();
      this.counts.set(permission, byOutcome);
    }
    byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
  }
}

const MAX_OPERATION_NAMES = 200;
const CIRCUIT_STATES = ['CLOSED', 'OPEN', 'HALF_OPEN'] as const;

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly operations = new Set<string>();
  private readonly requests: Counter<'operation' | 'outcome'>;
  private readonly latency: Histogram<'operation'>;
  /** Every request's decisions (handed to the guard through the context); clearance_decisions_total reads it. */
  readonly decisionTally = new DecisionTally();
  private readonly fhirCalls: Counter<'tenant' | 'outcome'>;
  private readonly fhirLatency: Histogram<'tenant'>;
  private readonly auditAppend: Histogram;
  private readonly outboxLag: Histogram;
  private readonly rateLimited: Counter<'scope'>;
  private readonly executions: Counter<'path'>;

  constructor(sources: MetricSources = {}) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'clearance_process_' });
    this.requests = new Counter({
      name: 'clearance_requests_total',
      help: 'HTTP requests by GraphQL operation (type and root fields) and outcome',
      labelNames: ['operation', 'outcome'],
      registers,
    });
    this.latency = new Histogram({
      name: 'clearance_request_duration_seconds',
      help: 'Request latency by GraphQL operation (type and root fields)',
      labelNames: ['operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const tally = this.decisionTally;
    new Counter({
      name: 'clearance_decisions_total',
      help: 'Field permission decisions by rule and outcome',
      labelNames: ['permission', 'outcome'],
      registers,
      collect() {
        this.reset();
        for (const [permission, byOutcome] of tally.counts) {
          for (const [outcome, n] of byOutcome) this.inc({ permission, outcome }, n);
        }
      },
    });
    this.fhirCalls = new Counter({
      name: 'clearance_fhir_calls_total',
      help: 'FHIR calls by tenant and outcome',
      labelNames: ['tenant', 'outcome'],
      registers,
    });
    this.fhirLatency = new Histogram({
      name: 'clearance_fhir_call_duration_seconds',
      help: 'FHIR call latency by tenant',
      labelNames: ['tenant'],
      registers,
    });
    this.auditAppend = new Histogram({
      name: 'clearance_audit_append_duration_seconds',
      help: 'Latency of one audit record append (store commit)',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.outboxLag = new Histogram({
      name: 'clearance_outbox_lag_seconds',
      help: 'From a change being approved to its external effect applied by the outbox',
      buckets: [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600],
      registers,
    });
    this.rateLimited = new Counter({
      name: 'clearance_rate_limited_total',
      help: 'Requests refused by a rate limit',
      labelNames: ['scope'],
      registers,
    });
    this.executions = new Counter({
      name: 'clearance_graphql_executions_total',
      help: 'GraphQL operations executed, by path: jit, graphql-js, or fallback:<reason> (src/server/compiled-execution.ts)',
      labelNames: ['path'],
      registers,
    });
    if (sources.approvals) {
      const approvals = sources.approvals;
      const age = new Gauge({
        name: 'clearance_approval_queue_oldest_seconds',
        help: 'Age of the oldest pending change by risk',
        labelNames: ['risk'],
        registers,
      });
      new Gauge({
        name: 'clearance_approval_queue_depth',
        help: 'Pending change requests by risk',
        labelNames: ['risk'],
        registers,
        async collect() {
          this.reset();
          age.reset();
          for (const s of await approvals()) {
            this.set({ risk: s.risk }, s.depth);
            age.set({ risk: s.risk }, s.oldestSeconds);
          }
        },
      });
    }
    if (sources.circuits) {
      const circuits = sources.circuits;
      new Gauge({
        name: 'clearance_fhir_circuit_state',
        help: 'FHIR circuit of each tenant: 1 on the state it is in',
        labelNames: ['tenant', 'state'],
        registers,
        collect() {
          this.reset();
          for (const c of circuits()) for (const state of CIRCUIT_STATES) this.set({ tenant: c.tenant, state }, c.state === state ? 1 : 0);
        },
      });
    }
    if (sources.archivePending) {
      const pending = sources.archivePending;
      new Gauge({
        name: 'clearance_audit_archive_pending_records',
        help: 'Audit records past the hot window not yet in the PostgreSQL archive',
        registers,
        collect() {
          const n = pending();
          if (n !== null) this.set(n);
        },
      });
    }
  }

  /**
   * The operation's label (request-log.ts operationLabel: type and root fields, names of our schema, never the client's
   * operation name), only the first few hundred distinct ones; `(none)` when no operation ran (refused before).
   */
  private operationLabel(name: string | undefined): string {
    if (!name) return '(none)';
    if (this.operations.has(name)) return name;
    if (this.operations.size >= MAX_OPERATION_NAMES) return '(other)';
    this.operations.add(name);
    return name;
  }

  /** One finished HTTP request (GraphQL or not), from its log record. */
  request(record: RequestRecord, status: number): void {
    if (record.path !== '/graphql') return;
    const operation = this.operationLabel(record.operation);
    const outcome = record.outcome ?? record.errorCodes?.[0] ?? (status >= 400 ? `HTTP_${status}` : 'OK');
    this.requests.inc({ operation, outcome });
    this.latency.observe({ operation }, (performance.now() - record.startedAt) / 1000);
    if (outcome === 'RATE_LIMITED') this.rateLimited.inc({ scope: record.sub === undefined ? 'failed_auth' : 'principal' });
  }

  /** One operation executed, by the path that ran it (a closed set: ExecutionPath). */
  executed(path: string): void {
    this.executions.inc({ path });
  }

  fhirCall(tenant: string, outcome: string, seconds: number): void {
    this.fhirCalls.inc({ tenant, outcome });
    this.fhirLatency.observe({ tenant }, seconds);
  }

  auditAppended(seconds: number): void {
    this.auditAppend.observe(seconds);
  }

  outboxApplied(lagSeconds: number): void {
    this.outboxLag.observe(Math.max(0, lagSeconds));
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
