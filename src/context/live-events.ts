import type { GraphQLError } from 'graphql';
import type { GatewayContext } from './context.js';
import type { ChangeEvent } from '../governance/change-event.js';

// What a subscription field streams (src/resolvers/subscriptions.ts): each event with the context it is to be
// executed in, built from the subscriber's rights at that moment (src/server/live-events-session.ts), or the end of
// the stream with the error that ended it (a revoked role: FORBIDDEN).

export type LiveField = 'changeEvents' | 'actionableChanges';

export type LivePayload =
  | { readonly type: 'event'; readonly event: ChangeEvent; readonly context: GatewayContext }
  | { readonly type: 'end'; readonly error: GraphQLError };

export interface LiveEvents {
  stream(field: LiveField): AsyncIterableIterator<LivePayload>;
}
