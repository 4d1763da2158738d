import type { ApolloServerPlugin } from '@apollo/server';
import { BREAK, visit, type DocumentNode } from 'graphql';
import type { GatewayContext } from '../context/context.js';
import { IntrospectionRefusedError } from '../errors/document-errors.js';

// Introspection per role. Apollo's own switch is all or nothing and runs during validation, before anyone knows who
// asks; this runs once the operation is resolved, with the verified principal. The whole document is searched
// (fragments included, whatever the alias), so `__schema`/`__type` cannot be smuggled in through a fragment.
// `__typename` is not introspection: clients need it for unions and caches.

function usesIntrospection(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** `allowed`: '*' lets everyone introspect (embedded default); a list lets only principals holding one of the roles. */
export function introspectionGuardPlugin(allowed: '*' | readonly string[]): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      if (allowed === '*') return {};
      return {
        async didResolveOperation({ document, contextValue }) {
          if (!usesIntrospection(document)) return;
          if (contextValue.principal.roles.some((role) => allowed.includes(role))) return;
          throw new IntrospectionRefusedError();
        },
      };
    },
  };
}
