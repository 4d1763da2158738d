import type { EhrReader } from '../../connectors/ehr/ehr-reader.js';
import type { PrincipalPolicy } from '../../rules/decide.js';
import type { PermissionCache } from '../../rules/permission-cache.js';
import type { DecisionSink } from '../../rules/guard-context.js';
import type { Principal } from '../auth/principal.js';
import type { AuditService } from '../services/audit/audit-service.js';
import type { PhiReadCollector } from '../audit/phi-read-collector.js';
import type { ConnectorServices } from '../services/connectors/connector-services.js';
import type { AccessService } from '../services/access-service.js';
import type { LiveEvents } from './live-events.js';
import type { SignedCursors } from '../services/signed-cursor.js';
import type { GovernanceDeps } from '../services/governance/deps.js';

// What every resolver and rule gets. Built once per request by src/server/request-context.ts after the token has
// verified; everything with I/O sits behind an interface here, so tests can hand in real or in-memory parts.

export interface RequestLimits {
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
  readonly suppressionThreshold: number;
}

export interface GatewayContext {
  readonly requestId: string;
  readonly principal: Principal;
  /** The policy compiled for this principal: the one place decisions come from. */
  readonly access: PrincipalPolicy;
  /** This request's EHR reader (its DataLoaders batch and cache per request). */
  readonly ehr: EhrReader;
  readonly limits: RequestLimits;
  /** Governed settings, change requests, approvals, emergency stops (shared by all requests). */
  readonly governance: GovernanceDeps;
  readonly audit: AuditService;
  /** Role assignments, access requests, break-glass, access reviews and policy versions. */
  readonly accessAdmin: AccessService;
  /** PHI returned by this request, per patient: written as audit events before the response leaves. */
  readonly phiReads: PhiReadCollector;
  /** What the permission layer has already allowed in this request (rules/permission-cache.ts). */
  readonly permissionCache: PermissionCache;
  /** Counts the permission layer's decisions for the metrics (absent: not counted). */
  readonly decisions?: DecisionSink | undefined;
  /** The acting connectors: EHR write-back (and, as they land, messaging and connector configuration). */
  readonly connectors: ConnectorServices;
  /** Signs and checks Relay cursors (src/services/signed-cursor.ts); one key for all replicas. */
  readonly cursors: SignedCursors;
  /** A subscription's live change events (WebSocket operations only; absent over HTTP). */
  readonly live?: LiveEvents;
}
