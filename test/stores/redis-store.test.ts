import { afterAll, beforeAll } from 'vitest';
import { createRedisGovernanceStore } from '../../src/stores/redis-governance-store.js';
import type { GovernanceStore } from '../../src/stores/governance-store.js';
import { RedisServer } from '../support/redis-server.js';
import { storeContract } from './contract.js';

let server: RedisServer;
const stores: GovernanceStore[] = [];
beforeAll(async () => {
  server = await RedisServer.start();
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await server.stop();
});

let n = 0;
storeContract(
  'redis',
  async () => {
    const s = createRedisGovernanceStore(server.client());
    stores.push(s);
    return s;
  },
  `r${n++}-${Date.now()}`,
);
