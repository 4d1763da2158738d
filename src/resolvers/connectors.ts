import { forbidden } from '../errors/forbidden.js';
import type { GatewayContext } from '../context/context.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { jwksPath } from '../services/connectors/jwks-path.js';

// Connector configuration. Thin: settings go through governance (which decides who may propose and who approves);
// credentials need `write` on `credentials` (rules/decide.ts), asked before anything is stored.

function mayWriteCredentials(ctx: GatewayContext): void {
  const decision = ctx.access.decide({ action: 'write', dataClass: 'credentials' });
  if (decision.effect === 'DENY') throw forbidden(decision.denial);
}

export const connectorResolvers: Resolvers = {
  Query: {
    connectors: (_p, { environment }, ctx) => ctx.connectors.admin.list(ctx.principal.tenant, environment),
    connector: (_p, { id, environment }, ctx) => ctx.connectors.admin.view(ctx.principal.tenant, environment, id),
    connectorHealth: (_p, _a, ctx) => ctx.connectors.health(ctx.principal.tenant),
  },
  Mutation: {
    configureConnector: async (_p, { input }, ctx) => {
      const credentials = input.clientSecret ? { clientId: input.clientId ?? null, clientSecret: input.clientSecret } : null;
      if (credentials || input.clientId) mayWriteCredentials(ctx);
      const settings = {
        ...(input.baseUrl !== undefined ? { baseUrl: input.baseUrl } : {}),
        ...(input.scopes ? { scopes: input.scopes } : {}),
        ...(input.writeBackMappings !== undefined ? { writeBackMappings: input.writeBackMappings } : {}),
      };
      return ctx.connectors.admin.configure(ctx.principal, {
        connectorId: input.connectorId,
        environment: input.environment,
        settings,
        credentials,
        reason: input.reason ?? null,
        ticket: input.ticket ?? null,
      });
    },
    rotateConnectorSecret: async (_p, { connectorId, environment, clientSecret, clientId, reason, ticket }, ctx) => {
      mayWriteCredentials(ctx);
      return ctx.connectors.admin.rotate(
        ctx.principal,
        environment,
        connectorId,
        { clientId: clientId ?? null, clientSecret },
        { reason: reason ?? null, ticket: ticket ?? null },
      );
    },
    generateConnectorKey: async (_p, { connectorId, environment, clientId, algorithm, reason, ticket }, ctx) => {
      mayWriteCredentials(ctx);
      const r = await ctx.connectors.admin.generateKey(ctx.principal, environment, connectorId, {
        clientId: clientId ?? null,
        algorithm: algorithm ?? 'ES384',
        reason: reason ?? null,
        ticket: ticket ?? null,
      });
      return { ...r, jwksPath: jwksPath(ctx.principal.tenant, environment, connectorId) };
    },
    // Only for who may configure the connector (ConnectorAdmin.test asks the configure decision first).
    testConnector: (_p, { connectorId, environment }, ctx) => ctx.connectors.admin.test(ctx.principal, environment, connectorId),
  },
  ConnectorCredentials: {
    method: (c) => c.method?.toUpperCase() ?? null,
    change: (c) => c.change ?? null,
  },
  Connector: {
    baseUrl: (c) => (typeof c.settings.baseUrl === 'string' ? c.settings.baseUrl : null),
    scopes: (c) => (c.settings.scopes as string[] | null) ?? null,
    writeBackEnabled: (c) => c.settings.writeBackEnabled === true,
    writeBackMappings: (c) => c.settings.writeBackMappings,
  },
};
