import type { ApolloServerPlugin } from '@apollo/server';
import { AuditUnavailableError } from '../errors/errors.js';
import { denialContextOf, denialEvent, type DeniedError } from '../audit/denial-event.js';
import type { GatewayContext } from '../context/context.js';
import { withheldErrors } from '../resolvers/withheld.js';
import type { Logger } from './logger.js';

// No read of PHI without its audit: after execution and before the response leaves, the request's PHI reads are
// written as one audit record (one event per patient). If that write fails, the response is replaced by an
// AUDIT_UNAVAILABLE error and no data: the PHI never reaches the client unaudited. A request answered FORBIDDEN
// (in part) adds one failure event (src/audit/denial-event.ts). The subscription server writes each event's record
// and a refused subscription's through the same function (auditRequest).

/**
 * Writes what one request (or one subscription event) read and was refused: its PHI reads and, when any error is a
 * FORBIDDEN, one `access.denied` event, in one record. The rows a list withheld count as refused though their error is
 * added to the response by another plugin (withheld-rows-plugin.ts): taken from the context, whichever runs first.
 * Throws AuditUnavailableError when the record cannot be written: the caller must then not answer with data.
 */
export async function auditRequest(
  ctx: GatewayContext,
  errors: readonly DeniedError[] | undefined,
  operation: string | null,
): Promise<void> {
  const withheld = withheldErrors(ctx);
  const refused = errors?.length || withheld.length ? [...(errors ?? []).filter((e) => e.extensions?.withheld !== true), ...withheld] : [];
  const read = ctx.phiReads.size > 0;
  if (!read && refused.length === 0) return;
  const p = ctx.principal;
  const actor = { sub: p.sub, kind: p.kind, roles: [...p.roles] };
  const at = new Date().toISOString();
  const environment = ctx.connectors.writeBack.environment;
  const denial = refused.length ? denialEvent(refused, denialContextOf(p, { requestId: ctx.requestId, environment, operation, at })) : null;
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
    throw e instanceof AuditUnavailableError ? e : new AuditUnavailableError();
  }
}

export function phiAuditPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue: ctx, response, operationName }) {
          if (!ctx?.phiReads || response.body.kind !== 'single') return;
          try {
            await auditRequest(ctx, response.body.singleResult.errors, operationName ?? null);
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
