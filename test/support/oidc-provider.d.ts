// oidc-provider ships no types and @types/oidc-provider is not installed: the little the test IdP uses, typed here.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface Grant {
    addOIDCScope(scope: string): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }
  interface GrantConstructor {
    new (init: { clientId: string; accountId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  }
  interface KoaContext {
    oidc: {
      provider: { Grant: GrantConstructor };
      client?: { clientId: string };
      session?: { accountId?: string; grantIdFor(clientId: string): string | undefined };
      result?: { consent?: { grantId?: string } };
    };
  }
  export interface Configuration {
    clients?: Record<string, unknown>[];
    pkce?: { required?: () => boolean };
    jwks?: { keys: unknown[] };
    features?: Record<string, unknown>;
    findAccount?: (ctx: KoaContext, sub: string) => { accountId: string; claims: () => Record<string, unknown> } | undefined;
    extraTokenClaims?: (ctx: KoaContext, token: { accountId?: string }) => Record<string, unknown> | undefined;
    loadExistingGrant?: (ctx: KoaContext) => Promise<Grant | undefined>;
  }
  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
