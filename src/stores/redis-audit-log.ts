import { GENESIS_HASH, type AuditMeta } from '../audit/chain.js';
import type { AuditLog } from './audit-log.js';
import { guarded, type RedisClient } from './redis-guard.js';
import { tenantKeys } from './redis-keys.js';
import { TRIM_AUDIT_LUA } from './redis-scripts.js';

// A tenant's audit log in Redis: a list of records and a hash of marks (seq, hash, first, anchor, exported,
// verified), appended by RedisGovernanceStore's commit script.

type ScriptClient = RedisClient & { clrTrimAudit(...args: (string | number)[]): Promise<number> };

// Only ever moves forward (a re-export of older records does not lower it).
const MARK_EXPORTED_LUA = "local c = tonumber(redis.call('HGET', KEYS[1], 'exported') or '0') "
  + "if tonumber(ARGV[1]) > c then redis.call('HSET', KEYS[1], 'exported', ARGV[1]) end return 1";

export class RedisAuditLog implements AuditLog {
  private readonly r: ScriptClient;

  constructor(client: RedisClient) {
    if (!('clrTrimAudit' in client)) client.defineCommand('clrTrimAudit', { lua: TRIM_AUDIT_LUA, numberOfKeys: 2 });
    this.r = client as ScriptClient;
  }

  meta(tenant: string): Promise<AuditMeta> {
    return guarded(async () => {
      const [seq, hash, first, anchor] = await this.r.hmget(tenantKeys(tenant).auditMeta, 'seq', 'hash', 'first', 'anchor');
      return {
        headSeq: Number(seq ?? 0), headHash: hash ?? GENESIS_HASH, firstSeq: Number(first ?? 1), anchorHash: anchor ?? GENESIS_HASH,
      };
    });
  }

  records(tenant: string, fromSeq: number, limit: number): Promise<string[]> {
    return guarded(async () => {
      const k = tenantKeys(tenant);
      const first = Number((await this.r.hget(k.auditMeta, 'first')) ?? 1);
      const from = Math.max(fromSeq, first) - first;
      return this.r.lrange(k.audit, from, from + limit - 1);
    });
  }

  trim(tenant: string, uptoSeq: number, anchorHash: string): Promise<void> {
    return guarded(async () => {
      const k = tenantKeys(tenant);
      await this.r.clrTrimAudit(k.audit, k.auditMeta, uptoSeq, anchorHash);
    });
  }

  addCheckpoint(tenant: string, json: string): Promise<void> {
    return guarded(async () => void (await this.r.rpush(tenantKeys(tenant).auditCheckpoints, json)));
  }

  checkpoints(tenant: string): Promise<string[]> {
    return guarded(() => this.r.lrange(tenantKeys(tenant).auditCheckpoints, 0, -1));
  }

  exportedUpTo(tenant: string): Promise<number> {
    return guarded(async () => Number((await this.r.hget(tenantKeys(tenant).auditMeta, 'exported')) ?? 0));
  }

  markExported(tenant: string, seq: number): Promise<void> {
    return guarded(async () => void (await this.r.eval(MARK_EXPORTED_LUA, 1, tenantKeys(tenant).auditMeta, seq)));
  }

  verifiedMark(tenant: string): Promise<string | null> {
    return guarded(() => this.r.hget(tenantKeys(tenant).auditMeta, 'verified'));
  }

  setVerifiedMark(tenant: string, json: string): Promise<void> {
    return guarded(async () => void (await this.r.hset(tenantKeys(tenant).auditMeta, 'verified', json)));
  }
}
