// Lua run inside Redis, so a check and the writes it guards are one atomic step even with several gateway replicas
// and concurrent approvers. Every key a script touches is passed in KEYS and shares the tenant's hash tag, so the
// scripts also run on Redis Cluster (https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags).

/** ARGV[1]: JSON list of ops, each naming its keys by index into KEYS. All checks first, then all writes. */
export const COMMIT_LUA = `
local ops = cjson.decode(ARGV[1])
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
  elseif op.t == 'doc' then
    redis.call('HSET', KEYS[op.k], 'version', op.v, 'json', op.json)
    redis.call('RPUSH', KEYS[op.h], op.json)
    redis.call('SADD', KEYS[op.x], op.member)
  elseif op.t == 'obadd' then
    if redis.call('HSETNX', KEYS[op.k], op.key, op.json) == 1 then redis.call('ZADD', KEYS[op.d], 0, op.key) end
  elseif op.t == 'obdone' then
    redis.call('HDEL', KEYS[op.k], op.key)
    redis.call('ZREM', KEYS[op.d], op.key)
  elseif op.t == 'audit' then
    redis.call('RPUSH', KEYS[op.k], op.json)
  end
end
return {'OK'}
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
