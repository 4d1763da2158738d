// Lua run inside Redis, so a check and the writes it guards are one atomic step even with several gateway replicas
// and concurrent approvers. Every key a script touches is passed in KEYS and shares the tenant's hash tag, so the
// scripts also run on Redis Cluster (https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags).

import { OPEN_CHANGE_STATUSES } from './governance-store.js';
import { SHA256_LUA } from './redis-sha256-lua.js';

/** ARGV[1]: JSON list of ops, each naming its keys by index into KEYS. All checks first, then all writes. */
export const COMMIT_LUA = `${SHA256_LUA}
local ops = cjson.decode(ARGV[1])
local auditSeq, auditHash = nil, nil
for _, op in ipairs(ops) do
  if op.t == 'chg' then
    local rev = tonumber(redis.call('HGET', KEYS[op.k], 'rev') or '0')
    if rev ~= op.rev then return {'CONFLICT', 'change', op.id} end
  elseif op.t == 'doc' then
    local v = tonumber(redis.call('HGET', KEYS[op.k], 'version') or '0')
    if v ~= op.v - 1 then return {'CONFLICT', 'doc', op.id} end
  end
end
for _, op in ipairs(ops) do
  if op.t == 'chg' then
    redis.call('HSET', KEYS[op.k], 'rev', op.rev + 1, 'json', op.json)
    redis.call('ZADD', KEYS[op.i], op.score, op.id)
    if op.open then redis.call('ZADD', KEYS[op.o], op.score, op.id) else redis.call('ZREM', KEYS[op.o], op.id) end
  elseif op.t == 'doc' then
    redis.call('HSET', KEYS[op.k], 'version', op.v, 'json', op.json)
    redis.call('RPUSH', KEYS[op.h], op.json)
    redis.call('SADD', KEYS[op.x], op.member)
  elseif op.t == 'obadd' then
    if redis.call('HSETNX', KEYS[op.k], op.key, op.json) == 1 then redis.call('ZADD', KEYS[op.d], 0, op.key) end
  elseif op.t == 'obdone' then
    redis.call('HDEL', KEYS[op.k], op.key)
    redis.call('ZREM', KEYS[op.d], op.key)
  elseif op.t == 'ledger' then
    redis.call('ZREMRANGEBYSCORE', KEYS[op.k], '-inf', '(' .. (op.at - op.keep))
    redis.call('ZADD', KEYS[op.k], op.at, op.member)
  elseif op.t == 'audit' then
    if auditSeq == nil then
      local head = redis.call('HMGET', KEYS[op.m], 'seq', 'hash')
      auditSeq = tonumber(head[1] or '0')
      auditHash = head[2] or '${'0'.repeat(64)}'
    end
    auditSeq = auditSeq + 1
    local h = sha256(auditHash .. op.bh)
    redis.call('RPUSH', KEYS[op.k], '{"seq":' .. auditSeq .. ',"prev":"' .. auditHash .. '","bodyHash":"' .. op.bh .. '","hash":"' .. h ` +
      `.. '","body":' .. cjson.encode(op.body) .. '}')
    auditHash = h
    redis.call('HSET', KEYS[op.m], 'seq', auditSeq, 'hash', auditHash)
  end
end
return {'OK'}
`;

/** A member of the open-change index that is no change (scored -1, below every creation time): the index is built. */
export const OPEN_INDEX_BUILT = '#built';

/**
 * One batch of the backfill of a tenant's open-change index, for a store written before the index existed (the commit
 * script keeps the index for every change it writes, before or after the backfill). KEYS: the built marker, the open
 * index, the change index, then the batch's change hashes. ARGV: the cursor the batch was read at, the batch size,
 * then the batch's ids (in the order of their hashes). The batch is changeIndex's ranks [cursor, cursor + size) read by
 * the caller, oldest first: the change index only grows, and a change written since has been indexed by its commit,
 * so a rank that moves up by an insertion is at worst seen twice (ZADD is idempotent), never skipped. A batch read
 * at a cursor another gateway has moved does nothing (the caller reads on from the marker it gets back). Each change's
 * status is read here, in the same atomic step as the ZADD, so a change finished meanwhile is never indexed as open;
 * a finished change found in the index leaves it, so running the backfill again (its marker deleted) repairs an index
 * that replicas of a version without it wrote past during a rolling upgrade.
 * Once done, the index holds OPEN_INDEX_BUILT too: an index lost on its own (deleted, evicted) under a `done` marker
 * lacks it and is built again from the start, where a marker alone could not tell a lost index from an empty one.
 * Returns the marker: the next cursor, or 'done' once a batch was short.
 */
export const BACKFILL_OPEN_CHANGES_LUA = `
local built = redis.call('GET', KEYS[1])
if built == 'done' then
  if redis.call('ZSCORE', KEYS[2], '${OPEN_INDEX_BUILT}') then return 'done' end
  built = '0'
  redis.call('SET', KEYS[1], built)
end
if tonumber(built or '0') ~= tonumber(ARGV[1]) then return built or '0' end
for i = 4, #KEYS do
  local json = redis.call('HGET', KEYS[i], 'json')
  local score = redis.call('ZSCORE', KEYS[3], ARGV[i - 1])
  if json and score then
    local status = cjson.decode(json).status
    if ${[...OPEN_CHANGE_STATUSES].map((s) => `status == '${s}'`).join(' or ')} then redis.call('ZADD', KEYS[2], score, ARGV[i - 1])
    else redis.call('ZREM', KEYS[2], ARGV[i - 1]) end
  end
end
local n = #KEYS - 3
local marker = 'done'
if n >= tonumber(ARGV[2]) then marker = tostring(tonumber(ARGV[1]) + n)
else redis.call('ZADD', KEYS[2], -1, '${OPEN_INDEX_BUILT}') end
redis.call('SET', KEYS[1], marker)
return marker
`;

/** KEYS: due zset, entries hash. ARGV: now ms, lease ms, limit. Moves each claimed entry's due time past the lease. */
export const CLAIM_OUTBOX_LUA = `
local keys = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, k in ipairs(keys) do
  redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), k)
  local e = redis.call('HGET', KEYS[2], k)
  if e then table.insert(out, e) end
end
return out
`;

/** KEYS: due zset, entries hash. ARGV: key, error, retry-at ms. */
export const FAIL_OUTBOX_LUA = `
local e = redis.call('HGET', KEYS[2], ARGV[1])
if not e then return 0 end
local entry = cjson.decode(e)
entry.attempts = (entry.attempts or 0) + 1
entry.lastError = ARGV[2]
redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(entry))
redis.call('ZADD', KEYS[1], tonumber(ARGV[3]), ARGV[1])
return 1
`;

/** KEYS: audit list, audit meta. ARGV: uptoSeq, anchor hash. Retention: drops records up to uptoSeq, moves the anchor. */
export const TRIM_AUDIT_LUA = `
local first = tonumber(redis.call('HGET', KEYS[2], 'first') or '1')
local upto = tonumber(ARGV[1])
if upto < first then return 0 end
redis.call('LTRIM', KEYS[1], upto - first + 1, -1)
redis.call('HSET', KEYS[2], 'first', upto + 1, 'anchor', ARGV[2])
return upto - first + 1
`;

/**
 * KEYS: the idempotency hash. ARGV: request hash, ttl ms. Claims a free key (fields h, and r once completed) with
 * its expiry, or says what holds it: {'claimed'} | {'mismatch'} | {'completed', result} | {'in-flight'}.
 */
export const CLAIM_IDEMPOTENCY_LUA = `
if redis.call('HSETNX', KEYS[1], 'h', ARGV[1]) == 1 then
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return {'claimed'}
end
local held = redis.call('HMGET', KEYS[1], 'h', 'r')
if held[1] ~= ARGV[1] then return {'mismatch'} end
if held[2] then return {'completed', held[2]} end
return {'in-flight'}
`;

/** KEYS: the idempotency hash. ARGV: request hash, result. HSET keeps the key's expiry. */
export const COMPLETE_IDEMPOTENCY_LUA = `
if redis.call('HGET', KEYS[1], 'h') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'r', ARGV[2])
return 1
`;

/** KEYS: the idempotency hash. ARGV: request hash. Deletes only a claim of this request with no stored answer. */
export const RELEASE_IDEMPOTENCY_LUA = `
if redis.call('HGET', KEYS[1], 'h') ~= ARGV[1] or redis.call('HEXISTS', KEYS[1], 'r') == 1 then return 0 end
redis.call('DEL', KEYS[1])
return 1
`;

/** KEYS: the lease. ARGV: holder. Deletes the lease only while this holder has it. */
export const RELEASE_LEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
