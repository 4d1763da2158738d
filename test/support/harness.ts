import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle } from '@medplum/fhirtypes';
import { loadOrCreateDevKeys, mintToken, type TokenClaims } from '../../src/auth/dev-keys.js';
import { parseConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/server/logger.js';
import { startClearance, type RunningClearance, type StartOptions } from '../../src/server/start-clearance.js';
import type { Stores } from '../../src/stores/stores.js';

// Starts the real gateway in-process on a free port (embedded mode: embedded FHIR server over HTTP, dev keys in a
// temporary state dir) and talks to it over HTTP like a client would.

export interface GqlResponse<D = Record<string, unknown>> {
  readonly status: number;
  readonly body: { data?: D | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
}

export interface Harness {
  readonly url: string;
  readonly running: RunningClearance;
  readonly logLines: string[];
  /** A dev token (default lifetime, or `ttlSeconds`). */
  token(claims: Partial<TokenClaims> & { roles: string[] }, ttlSeconds?: number): Promise<string>;
  gql<D = Record<string, unknown>>(token: string | null, query: string, variables?: Record<string, unknown>): Promise<GqlResponse<D>>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  readonly env?: Record<string, string>;
  readonly fhirSeed?: Record<string, Bundle[]>;
  readonly stores?: Stores;
  /** The gateway's clock (grant expiry, break-glass); tokens still verify on the real clock. */
  readonly now?: () => number;
  /** The state dir (dev keys, audit key): two harnesses given the same one are replicas that accept each other's tokens. */
  readonly stateDir?: string;
  /** Anything else startClearance takes (subscription limits, a shared event bus). */
  readonly start?: Partial<Pick<StartOptions, 'subscriptions' | 'bus' | 'reminderIntervalMs' | 'reminderWindowMs'>>;
  /** Told of every escalation of an unclaimed emergency message (the approver-notification hook). */
  readonly escalationNotifiers?: StartOptions['escalationNotifiers'];
  /** Run the embedded FHIR server in SMART Backend Services auth mode. */
  readonly fhirAuth?: StartOptions['fhirAuth'];
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'clearance-test-'));
  const config = parseConfig({ PORT: '0', CLEARANCE_STATE_DIR: stateDir, LOG_LEVEL: 'info', ...options.env }, []);
  const logLines: string[] = [];
  const logger = createLogger(config.logLevel, { write: (line: string) => void logLines.push(line) });
  const running = await startClearance(config, {
    logger,
    ...(options.fhirSeed ? { fhirSeed: options.fhirSeed } : {}),
    ...(options.stores ? { stores: options.stores } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.escalationNotifiers ? { escalationNotifiers: options.escalationNotifiers } : {}),
    ...(options.fhirAuth ? { fhirAuth: options.fhirAuth } : {}),
    ...options.start,
  });
  const keys = await loadOrCreateDevKeys(stateDir);
  const url = `${running.url}/graphql`;
  return {
    url,
    running,
    logLines,
    token: (claims, ttlSeconds) =>
      mintToken(
        keys,
        { sub: `${claims.roles[0]}-1`, tenant: 'acme', ...claims },
        { issuer: config.auth.issuer, audience: config.auth.audience, ...(ttlSeconds ? { ttlSeconds } : {}) },
      ),
    async gql(token, query, variables) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as GqlResponse['body'] } as GqlResponse<never>;
    },
    stop: () => running.stop(),
  };
}
