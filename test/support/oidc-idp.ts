import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';

// A real OpenID provider (npm oidc-provider) on loopback for the console's sign-in tests: one public client (no
// secret) that must use PKCE, its redirect URI registered exactly, JWT access tokens for the gateway's audience
// carrying the claims Clearance maps (tenant, roles, departments, amr). People sign in through the provider's own
// development login page: any login name; the account's claims come from `accounts`.

export interface IdpAccount {
  readonly tenant: string;
  readonly roles: readonly string[];
  readonly departments?: readonly string[];
  readonly amr?: readonly string[];
}

export interface TestIdp {
  readonly issuer: string;
  readonly clientId: string;
  /** Registers the console's redirect URI (the gateway's port is known only after the gateway started). */
  register(redirectUri: string): void;
  /** Access token lifetime for tokens issued from now on (seconds). */
  accessTokenTtl: number;
  stop(): Promise<void>;
}

const RESOURCE = 'urn:clearance:gateway';

export async function startTestIdp(options: {
  accounts: Record<string, IdpAccount>;
  audience: string;
  clientId?: string;
}): Promise<TestIdp> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = options.clientId ?? 'clearance-console';
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-idp-1', use: 'sig', alg: 'RS256' };
  const idp: TestIdp = {
    issuer,
    clientId,
    accessTokenTtl: 3600,
    register(redirectUri) {
      const configuration: Configuration = {
        clients: [
          {
            client_id: clientId,
            token_endpoint_auth_method: 'none',
            redirect_uris: [redirectUri],
            grant_types: ['authorization_code'],
            response_types: ['code'],
          },
        ],
        pkce: { required: () => true },
        jwks: { keys: [jwk as never] },
        features: {
          devInteractions: { enabled: true },
          resourceIndicators: {
            enabled: true,
            defaultResource: () => RESOURCE,
            useGrantedResource: () => true,
            getResourceServerInfo: () => ({
              scope: 'openid',
              audience: options.audience,
              accessTokenFormat: 'jwt',
              accessTokenTTL: idp.accessTokenTtl,
              jwt: { sign: { alg: 'RS256' } },
            }),
          },
        },
        findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
        extraTokenClaims: (_ctx, token) => {
          const account = token.accountId ? options.accounts[token.accountId] : undefined;
          if (!account) return undefined;
          return {
            tenant: account.tenant,
            roles: [...account.roles],
            departments: [...(account.departments ?? [])],
            amr: [...(account.amr ?? ['pwd'])],
          };
        },
        // Consent is implied for this first-party client: the grant is made on first sign-in.
        loadExistingGrant: async (ctx) => {
          const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
          if (grantId) return ctx.oidc.provider.Grant.find(grantId);
          const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
          grant.addOIDCScope('openid');
          grant.addResourceScope(RESOURCE, 'openid');
          await grant.save();
          return grant;
        },
      };
      const provider = new Provider(issuer, configuration);
      server.on('request', provider.callback());
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return idp;
}
