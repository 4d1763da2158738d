import { denialContextOf, denialEvent } from '../audit/denial-event.js';
import type { Principal } from '../auth/principal.js';
import type { ClearanceError } from '../errors/errors.js';
import type { AuditService } from '../services/audit/audit-service.js';
import type { Logger } from './logger.js';

/**
 * A FORBIDDEN given before any operation ran (admission: an emergency-stopped agent) is an `access.denied` event like
 * any other denial: for an HTTP request (gateway.ts) and over the WebSocket, at connect, at subscribe and at an event
 * of an open stream (subscription-server.ts, live-events-session.ts). Refused either way: an audit store that cannot
 * take it is logged.
 */
export async function auditAdmissionRefusal(
  deps: { readonly audit: Pick<AuditService, 'write'>; readonly logger: Logger },
  principal: Principal,
  requestId: string,
  e: ClearanceError,
  operation: string | null = null,
): Promise<void> {
  const environment = typeof e.extensions.environment === 'string' ? e.extensions.environment : 'n/a';
  const denial = denialEvent(
    [{ path: [], extensions: e.extensions }],
    denialContextOf(principal, { requestId, environment, operation, at: new Date().toISOString() }),
  );
  if (!denial) return;
  await deps.audit.write(principal.tenant, [denial]).catch(() => {
    deps.logger.error({ requestId }, 'access.denied not recorded for a refused request (audit unavailable)');
  });
}
