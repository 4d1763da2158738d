import type { ApolloServerPlugin } from '@apollo/server';
import { AuditUnavailableError } from '../audit/audit-unavailable-error.js';
import type { GatewayContext } from '../context/context.js';
import type { Logger } from './logger.js';

// No read of PHI without its audit: after execution and before the response leaves, the request's PHI reads are
// written as one audit record (one event per patient). If that write fails, the response is replaced by an
// AUDIT_UNAVAILABLE error and no data: the PHI never reaches the client unaudited.
export function phiAuditPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue: ctx, response, operationName }) {
          if (!ctx?.phiReads || ctx.phiReads.size === 0 || response.body.kind !== 'single') return;
          const p = ctx.principal;
          const block = ctx.phiReads.block({
            tenant: p.tenant,
            actor: { sub: p.sub, kind: p.kind, roles: [...p.roles] },
            operation: operationName ?? null,
            requestId: ctx.requestId,
            at: new Date().toISOString(),
            // Patients this request could read only through break-glass: every event about them is flagged.
            breakGlassPatients: ctx.access.breakGlassUsed,
          });
          try {
            await ctx.audit.write(p.tenant, [], block);
          } catch (e) {
            logger.error({ requestId: ctx.requestId, patients: ctx.phiReads.size }, 'PHI read audit write failed: response withheld');
            const err = e instanceof AuditUnavailableError ? e : new AuditUnavailableError();
            response.body.singleResult.data = null;
            response.body.singleResult.errors = [{ message: err.message, extensions: { code: err.extensions.code, retryable: true } }];
            response.http.status = 503;
          }
        },
      };
    },
  };
}
