import type { EhrConnector } from '../../connectors/ehr/ehr-reader.js';
import { compilePrincipalPolicy } from '../../rules/decide.js';
import { PermissionCache } from '../../rules/permission-cache.js';
import type { DecisionSink } from '../../rules/guard-context.js';
import type { Principal } from '../auth/principal.js';
import type { AuditService } from '../services/audit/audit-service.js';
import { PhiReadCollector } from '../audit/phi-read-collector.js';
import type { GatewayContext, RequestLimits } from '../context/context.js';
import { UnauthenticatedError } from '../errors/errors.js';
import { agentStoppedError, agentStopTarget } from '../governance/stop-enforcement.js';
import type { AccessService } from '../services/access-service.js';
import type { AccessState } from '../services/access-state.js';
import type { ConnectorServices } from '../services/connectors/connector-services.js';
import type { SignedCursors } from '../services/signed-cursor.js';
import type { GovernanceDeps } from '../services/governance/deps.js';
import { mfaSessionRefusal, stopState } from '../services/governance/reads.js';

// The context of one operation for a verified principal: an HTTP request (gateway.ts) or one event of a
// subscription (live-events.ts), which is why it is built from what is stored NOW, never from what the principal
// could do when it connected.

export interface RequestContextDeps {
  readonly accessState: AccessState;
  readonly accessAdmin: AccessService;
  readonly now?: () => number;
  readonly ehr: EhrConnector;
  readonly limits: RequestLimits;
  readonly governance: GovernanceDeps;
  readonly audit: AuditService;
  readonly connectors: ConnectorServices;
  readonly cursors: SignedCursors;
}

/**
 * Refuses a verified principal before anything is read or decided: the applied MFA policy's step-up challenge
 * (RFC 9470), and an emergency-stopped agent (reads, writes and proposals alike). Asked for every HTTP request and
 * every subscription event, so a stop or a new MFA policy also ends a live stream.
 */
async function admit(deps: RequestContextDeps, principal: Principal, nowMs: number): Promise<void> {
  const session = await mfaSessionRefusal(deps.governance, principal, nowMs);
  if (session) throw new UnauthenticatedError(session.reason, session.message);
  const agentTarget = agentStopTarget(principal);
  if (agentTarget) {
    const environment = deps.connectors.writeBack.environment;
    const stop = await stopState(deps.governance, principal.tenant, environment, agentTarget);
    if (stop.value.stopped) throw agentStoppedError(agentTarget, environment);
  }
}

export async function buildRequestContext(
  deps: RequestContextDeps,
  principal: Principal,
  requestId: string,
  decisions?: DecisionSink,
): Promise<GatewayContext> {
  await admit(deps, principal, (deps.now ?? Date.now)());
  // The policy in force and the caller's stored access, cut to this request's time: expiry needs no job.
  const stored = await deps.accessState.forRequest(principal, (deps.now ?? Date.now)());
  const access = compilePrincipalPolicy(stored.policy, principal, stored.options);
  return {
    requestId,
    // The effective principal: token roles narrowed by standing assignments, plus time-limited grants.
    principal: access.principal,
    access,
    accessAdmin: deps.accessAdmin,
    ehr: deps.ehr.forRequest(principal.tenant),
    limits: deps.limits,
    governance: deps.governance,
    audit: deps.audit,
    connectors: deps.connectors,
    phiReads: new PhiReadCollector(),
    permissionCache: new PermissionCache(),
    decisions,
    cursors: deps.cursors,
  };
}
