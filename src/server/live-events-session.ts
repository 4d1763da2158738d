import { randomUUID } from 'node:crypto';
import { decideField } from '../../rules/field-decision.js';
import { forbidden } from '../errors/forbidden.js';
import type { Principal } from '../auth/principal.js';
import type { GatewayContext } from '../context/context.js';
import { ClearanceError } from '../errors/errors.js';
import type { AuditService } from '../services/audit/audit-service.js';
import type { Logger } from './logger.js';
import { auditAdmissionRefusal } from './admission-audit.js';
import type { ChangeEvent } from '../governance/change-event.js';
import { eventActionable, eventShown } from '../resolvers/subscriptions.js';
import type { ChangeEventBus } from '../services/events/change-event-bus.js';
import type { LiveEvents, LiveField, LivePayload } from '../context/live-events.js';

// One WebSocket connection's live events. Each subscription listens to its tenant on the bus; for every event it
// builds the context from the subscriber's rights as stored NOW (a role revoked on any replica, an expired grant)
// and asks the subscription field's rule again, the rule the HTTP field has (rules/field-access.ts): denied, the
// stream ends with that FORBIDDEN error. `actionableChanges` passes on only the changes the subscriber can act on,
// and the one event that tells a change it could act on no longer is. The context is built by the HTTP path's
// buildRequestContext, whose admission refuses an emergency-stopped agent (FORBIDDEN AGENT_STOPPED) or a session the
// MFA policy no longer accepts: the stream then ends with that error, and a FORBIDDEN is audited as over HTTP.

export interface LiveSessionDeps {
  readonly bus: ChangeEventBus;
  readonly contextFor: (principal: Principal, requestId: string) => Promise<GatewayContext>;
  /** Drops the cached access of a tenant (an access change committed on another replica). */
  readonly invalidateAccess: (tenant: string) => void;
  /** Events waiting for a slow subscriber before its stream ends (default 1000). */
  readonly maxQueued?: number;
  /** Where a refusal at admission is audited (`access.denied`). */
  readonly audit: Pick<AuditService, 'write'>;
  readonly logger: Logger;
}

const tooSlow = () =>
  new ClearanceError('RATE_LIMITED', 'The subscriber fell behind the event stream; subscribe again and re-read changeRequests.', {
    reason: 'SUBSCRIBER_TOO_SLOW',
  });

/** `operation`: the subscription's operation name, as the audit of a refusal names it. */
export function createLiveSession(deps: LiveSessionDeps, principal: Principal, operation: string | null = null): LiveEvents {
  return {
    stream(field: LiveField) {
      const queue: LivePayload[] = [];
      const waiting: ((r: IteratorResult<LivePayload>) => void)[] = [];
      let done = false;
      let unsubscribe: (() => void) | null = null;
      let chain = Promise.resolve();
      const actionable = new Set<string>();

      const finish = () => {
        done = true;
        unsubscribe?.();
        unsubscribe = null;
        for (const w of waiting.splice(0)) w({ value: undefined, done: true });
      };
      const push = (payload: LivePayload) => {
        if (done) return;
        const next: LivePayload =
          payload.type === 'event' && queue.length >= (deps.maxQueued ?? 1000) ? { type: 'end', error: tooSlow() } : payload;
        const w = waiting.shift();
        if (w) w({ value: next, done: false });
        else queue.push(next);
        if (next.type === 'end') {
          // Nothing after the end: stop listening now; what is queued is still handed out.
          done = true;
          unsubscribe?.();
          unsubscribe = null;
        }
      };

      async function handle(event: ChangeEvent): Promise<void> {
        if (done) return;
        if (event.category === 'access') deps.invalidateAccess(event.tenant);
        const requestId = randomUUID();
        let context: GatewayContext;
        try {
          context = await deps.contextFor(principal, requestId);
        } catch (e) {
          if (!(e instanceof ClearanceError)) throw e;
          // Refused at admission (an agent stopped while its stream was open): nothing more is delivered.
          await auditAdmissionRefusal(deps, principal, requestId, e, operation);
          return push({ type: 'end', error: e });
        }
        const { decision } = decideField(context.access, 'Subscription', field);
        if (decision.effect === 'DENY') return push({ type: 'end', error: forbidden(decision.denial) });
        // The queue's events are configuration of their change's environment: a subscriber whose roles count in STAGING
        // only is not told of PRODUCTION's changes (nor that there are any).
        if (field === 'changeEvents' && !(await eventShown(context, event.changeId))) return;
        if (field === 'actionableChanges') {
          const can = await eventActionable(context, event.changeId);
          const was = actionable.has(event.changeId);
          if (can) actionable.add(event.changeId);
          else actionable.delete(event.changeId);
          if (!can && !was) return;
        }
        push({ type: 'event', event, context });
      }

      const ready = deps.bus.subscribe(principal.tenant, (event) => {
        // In order, one at a time: each event sees the rights as they are after the previous one.
        chain = chain
          .then(() => handle(event))
          .catch(() => push({ type: 'end', error: new ClearanceError('INTERNAL', 'The live stream failed; subscribe again.', {}) }));
      });
      ready.then(
        (stop) => (done ? stop() : (unsubscribe = stop)),
        () => push({ type: 'end', error: new ClearanceError('STORE_UNAVAILABLE', 'Live events are unavailable.', {}) }),
      );

      const iterator: AsyncIterableIterator<LivePayload> = {
        async next() {
          // The bus listens before the first event is awaited: an event published after subscribe is never missed.
          await ready.catch(() => undefined);
          const value = queue.shift();
          if (value) return { value, done: false };
          if (done) return { value: undefined, done: true };
          return new Promise((resolve) => waiting.push(resolve));
        },
        async return() {
          finish();
          return { value: undefined, done: true };
        },
        [Symbol.asyncIterator]() {
          return iterator;
        },
      };
      return iterator;
    },
  };
}
