import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context/context.js';
import { withheldErrors } from '../resolvers/withheld.js';

// Adds the "rows were withheld" errors of list fields (src/resolvers/withheld.ts) to the response, beside the data:
// graphql-js has no way for a resolver to return a list and an error for the same field.
export function withheldRowsPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue: ctx, response }) {
          if (!ctx || response.body.kind !== 'single' || response.body.singleResult.data === null) return;
          const errors = withheldErrors(ctx);
          if (errors.length === 0) return;
          response.body.singleResult.errors = [...(response.body.singleResult.errors ?? []), ...errors.map((e) => e.toJSON())];
        },
      };
    },
  };
}
