import type { Resolvers } from '../generated/resolvers-types.js';

export const meResolvers: Resolvers = {
  Query: {
    me: (_parent, _args, ctx) => {
      const p = ctx.principal;
      return {
        sub: p.sub,
        tenant: p.tenant,
        kind: p.kind === 'user' ? 'USER' : p.kind === 'agent' ? 'AGENT' : 'SERVICE',
        roles: [...p.roles],
        departments: [...p.departments],
        mfa: p.mfa,
        scopes: p.scopes ? [...p.scopes] : null,
        grants: [...p.grants],
        policyVersion: ctx.access.policyVersion,
        permissions: ctx.access.permissions.map((e) => ({
          dataClass: e.dataClass,
          action: e.action,
          scope: e.scope === 'tenant' ? 'TENANT' : 'DEPARTMENT',
          via: e.via,
        })),
      };
    },
  },
};
