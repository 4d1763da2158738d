import type { IdempotencyClaim, IdempotencyStore } from './idempotency-store.js';
import { guarded, type RedisClient } from './redis-guard.js';
import { tenantKeys } from './redis-keys.js';
import { CLAIM_IDEMPOTENCY_LUA, COMPLETE_IDEMPOTENCY_LUA, RELEASE_IDEMPOTENCY_LUA } from './redis-scripts.js';

// Idempotency keys in Redis, one key per client key with its own expiry; each step is one script (claim-or-read is
// atomic across replicas).

type ScriptClient = RedisClient & {
  clrClaimIdem(...args: (string | number)[]): Promise<string[]>;
  clrCompleteIdem(...args: (string | number)[]): Promise<number>;
  clrReleaseIdem(...args: (string | number)[]): Promise<number>;
};

export class RedisIdempotencyStore implements IdempotencyStore {
  private readonly r: ScriptClient;

  constructor(client: RedisClient) {
    if (!('clrClaimIdem' in client)) {
      client.defineCommand('clrClaimIdem', { lua: CLAIM_IDEMPOTENCY_LUA, numberOfKeys: 1 });
      client.defineCommand('clrCompleteIdem', { lua: COMPLETE_IDEMPOTENCY_LUA, numberOfKeys: 1 });
      client.defineCommand('clrReleaseIdem', { lua: RELEASE_IDEMPOTENCY_LUA, numberOfKeys: 1 });
    }
    this.r = client as ScriptClient;
  }

  claim(tenant: string, scopeKey: string, requestHash: string, ttlMs: number): Promise<IdempotencyClaim> {
    return guarded(async (): Promise<IdempotencyClaim> => {
      const [state, result] = await this.r.clrClaimIdem(tenantKeys(tenant).idempotency(scopeKey), requestHash, ttlMs);
      return state === 'completed' ? { state, result: result ?? '' } : { state: state as 'claimed' | 'in-flight' | 'mismatch' };
    });
  }

  complete(tenant: string, scopeKey: string, requestHash: string, result: string): Promise<void> {
    return guarded(async () => void (await this.r.clrCompleteIdem(tenantKeys(tenant).idempotency(scopeKey), requestHash, result)));
  }

  release(tenant: string, scopeKey: string, requestHash: string): Promise<void> {
    return guarded(async () => void (await this.r.clrReleaseIdem(tenantKeys(tenant).idempotency(scopeKey), requestHash)));
  }
}
