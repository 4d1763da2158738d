import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { SHA256_LUA } from '../../src/stores/redis-sha256-lua.js';
import { RedisServer } from '../support/redis-server.js';

let server: RedisServer;
let redis: Redis;
beforeAll(async () => {
  server = await RedisServer.start();
  redis = server.client();
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

const node = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('SHA-256 in Redis Lua', () => {
  it.each(
    ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'a'.repeat(119), 'é∑ unicode ✓', 'x'.repeat(5000)],
  )('matches node:crypto for %#', async (input) => {
    const lua = (await redis.eval(`${SHA256_LUA}\nreturn sha256(ARGV[1])`, 0, input)) as string;
    expect(lua).toBe(node(input));
  });
  it('is fast enough for one chain link per audit record', async () => {
    const prev = node('prev');
    const body = node('body');
    const n = (await redis.eval(
      `${SHA256_LUA}\nlocal h = ARGV[1]\nfor i = 1, 1000 do h = sha256(h .. ARGV[2]) end\nreturn h`,
      0,
      prev,
      body,
    )) as string;
    let h = prev;
    for (let i = 0; i < 1000; i++) h = node(h + body);
    expect(n).toBe(h);
  });
});
