import { decideField } from '../../rules/field-decision.js';
import { forbidden } from '../errors/forbidden.js';
import type { GatewayContext } from '../context/context.js';
import { perRequest } from '../context/per-request.js';
import type { ChangeRequest } from '../governance/change-request.js';
import { ClearanceError } from '../errors/errors.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import type { LiveField } from '../context/live-events.js';
import { mayReach } from './change-target-check.js';
import { actFactsOf } from './change-target-check.js';
import { canActOnChange, findChangeRequest } from '../services/governance/reads.js';

// The live approval queue (schema/subscriptions.graphql). The stream and its per-event checks are the server's
// (src/server/live-events-session.ts); here an event is resolved like any query: its change is read through the
// governance service for the subscriber and shown as `changeRequest(id)` would show it (change-target-check.ts mayReach: null
// for a change the subscriber may not open), and `actionable` is the decision of `changeRequests(actionable: true)`
// (canActOn, with the target's own right): a clinician of another department is not offered a medication proposal.

const reads = perRequest<string, Promise<ChangeRequest | null>>();

/** The change of an event as the subscriber may read it, read once per event context. */
const eventChange = (ctx: GatewayContext, changeId: string): Promise<ChangeRequest | null> =>
  reads(ctx, changeId, () => findChangeRequest(ctx.governance, ctx.principal, changeId));

/** Whether the subscriber can act on the change now (the inbox's decision: changeRequests(actionable: true)). */
export async function eventActionable(ctx: GatewayContext, changeId: string): Promise<boolean> {
  const change = await eventChange(ctx, changeId);
  return change ? (await canActOnChange(ctx.governance, ctx.principal, change, actFactsOf(ctx).factsFor)).canAct : false;
}

/** The event's change, when the subscriber may open it now (as changeRequest(id) decides); else null. */
async function eventChangeShown(ctx: GatewayContext, changeId: string): Promise<ChangeRequest | null> {
  const change = await eventChange(ctx, changeId);
  return change && (await mayReach(ctx, change, 'open')) ? change : null;
}

/** Whether the subscriber may open the event's change now: changeEvents delivers only those events. */
export const eventShown = async (ctx: GatewayContext, changeId: string): Promise<boolean> =>
  (await eventChangeShown(ctx, changeId)) !== null;

/** The event the server executes with; over HTTP (no event) the operation is refused with a stable reason. */
const eventOrRefuse = (event: unknown): never => {
  if (event === undefined || event === null) {
    throw new ClearanceError('BAD_USER_INPUT', 'Subscriptions are served over WebSocket (graphql-transport-ws) at /graphql/ws.', {
      reason: 'SUBSCRIPTION_OVER_HTTP',
    });
  }
  return event as never;
};

const streamOf = (field: LiveField) => (_p: unknown, _a: unknown, ctx: GatewayContext) => {
  // Over HTTP there is no live session: Apollo refuses subscriptions before this, so this is a wiring error.
  if (!ctx.live) throw new ClearanceError('INTERNAL', 'Subscriptions are served over WebSocket only.', {});
  // graphql-js does not run a subscription field's resolve wrapper before subscribing: ask its rule here (the stream
  // asks it again on every event).
  const { decision } = decideField(ctx.access, 'Subscription', field);
  if (decision.effect === 'DENY') throw forbidden(decision.denial);
  return ctx.live.stream(field);
};

export const subscriptionResolvers: Resolvers = {
  Subscription: {
    // The server executes each event with the event as root value (src/server/subscription-server.ts).
    changeEvents: { subscribe: streamOf('changeEvents'), resolve: eventOrRefuse },
    actionableChanges: { subscribe: streamOf('actionableChanges'), resolve: eventOrRefuse },
  },
  ChangeEvent: {
    change: (e, _a, ctx) => eventChangeShown(ctx, e.changeId),
    actionable: (e, _a, ctx) => eventActionable(ctx, e.changeId),
  },
};
