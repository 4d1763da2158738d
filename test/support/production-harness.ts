import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle } from '@medplum/fhirtypes';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { EmbeddedFhirServer } from '../../connectors/ehr/embedded-fhir-server.js';
import { defaultTenantSeed } from '../../connectors/ehr/seed.js';
import type { DevKeys } from '../../src/auth/dev-keys.js';
import { mintToken } from '../../src/auth/mint-token.js';
import { parseConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/server/logger.js';
import { startClearance } from '../../src/server/start-clearance.js';
import type { Harness, GqlResponse } from './harness.js';
import { RedisServer } from './redis-server.js';

// The gateway in production mode (NODE_ENV=production) over HTTP, with everything production requires and nothing
// embedded: an IdP key pair generated here whose public half is the JWKS file, a real redis-server, the FHIR server
// started separately and named by FHIR_BASE_URLS, an audit HMAC key. Same shape as startHarness, plus the IdP key
// (for forging tokens that differ from good ones in one respect), the FHIR server and Redis.

export const PROD_ISSUER = 'https://idp.clearance.test';
export const PROD_AUDIENCE = 'clearance-prod-test';

export interface ProductionHarness extends Harness {
  readonly idp: DevKeys;
  readonly fhir: EmbeddedFhirServer;
  readonly redis: RedisServer;
  readonly jwksFile: string;
}

export interface ProductionHarnessOptions {
  readonly env?: Record<string, string>;
  readonly fhirSeed?: Record<string, Bundle[]>;
}

export async function startProductionHarness(options: ProductionHarnessOptions = {}): Promise<ProductionHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'clearance-prod-'));
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const publicJwks = { keys: [{ ...publicJwk, kid, alg: 'ES256', use: 'sig' }] };
  const jwksFile = join(dir, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify(publicJwks));
  const idp: DevKeys = { privateKey, publicJwks, kid };

  const redis = await RedisServer.start();
  const fhir = await new EmbeddedFhirServer({ tenants: options.fhirSeed ?? (await defaultTenantSeed()) }).start();
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    PORT: '0',
    CLEARANCE_STATE_DIR: dir,
    LOG_LEVEL: 'info',
    JWKS_FILE: jwksFile,
    JWT_ISSUER: PROD_ISSUER,
    JWT_AUDIENCE: PROD_AUDIENCE,
    REDIS_URL: redis.url,
    FHIR_BASE_URLS: JSON.stringify(fhir.baseUrls()),
    AUDIT_HMAC_KEY: 'test-audit-key-'.padEnd(48, 'x'),
    SECRETS_KEK: `test-kek:${Buffer.alloc(32, 3).toString('base64')}`,
    INTROSPECTION_ROLES: 'security-admin',
    ...options.env,
  };
  const config = parseConfig(env, []);
  const logLines: string[] = [];
  const logger = createLogger(config.logLevel, { write: (line: string) => void logLines.push(line) });
  const running = await startClearance(config, { logger });
  const url = `${running.url}/graphql`;
  return {
    url,
    running,
    logLines,
    idp,
    fhir,
    redis,
    jwksFile,
    token: (claims) =>
      mintToken(idp, { sub: `${claims.roles[0]}-1`, tenant: 'acme', ...claims }, { issuer: PROD_ISSUER, audience: PROD_AUDIENCE }),
    async gql(token, query, variables) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as GqlResponse['body'] } as GqlResponse<never>;
    },
    async stop() {
      await running.stop();
      await fhir.stop();
      await redis.stop();
    },
  };
}
