import type { ApolloServerPlugin } from '@apollo/server';
import { AuditUnavailableError } from '../errors/errors.js';
import { denialEvent } from '../audit/denial-event.js';
import type { GatewayContext } from '../context/context.js';
import type { Logger } from './logger.js';

// No read of PHI without its audit: after execution and before the response leaves, the request's PHI reads are
// written as one audit record (one event per patient). If that write fails, the response is replaced by an
// AUDIT_UNAVAILABLE error and no data: the PHI never reaches the client unaudited. A request answered FORBIDDEN
// (in part) adds one failure event (src/audit/denial-event.ts).
export function phiAuditPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue: ctx, response, operationName }) {
          if (!ctx?.phiReads || response.body.kind !== 'single') return;
          const errors = response.body.singleResult.errors;
          const read = ctx.phiReads.size > 0;
          if (!read && !errors?.length) return;
          const p = ctx.principal;
          const actor = { sub: p.sub, kind: p.kind, roles: [...p.roles] };
          const at = new Date().toISOString();
          const operation = operationName ?? null;
          // A refused read or mutation is recorded as a failure event in the same record as the request's reads.
          const denial = denialEvent(errors, {
            tenant: p.tenant, actor, requestId: ctx.requestId, environment: ctx.connectors.writeBack.environment, operation, at,
          });
          if (!read && !denial) return;
          const block = !read ? undefined : ctx.phiReads.block({
            tenant: p.tenant,
            actor,
            operation,
            requestId: ctx.requestId,
            at,
            // Patients this request could read only through break-glass: every event about them is flagged.
            breakGlassPatients: ctx.access.breakGlassUsed,
          });
          try {
            await ctx.audit.write(p.tenant, denial ? [denial] : [], block);
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
