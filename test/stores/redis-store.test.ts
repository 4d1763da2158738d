import { afterAll, beforeAll } from 'vitest';
import { redisStores } from '../../src/stores/create-store.js';
import type { Stores } from '../../src/stores/stores.js';
import { RedisServer } from '../support/redis-server.js';
import { auditLogContract } from './audit-log-contract.js';
import { governanceStoreContract } from './governance-store-contract.js';
import { idempotencyStoreContract } from './idempotency-store-contract.js';
import { leaseStoreContract } from './lease-store-contract.js';
import { usageStoreContract } from './usage-store-contract.js';

// Every store contract against the Redis implementations, on a real redis-server.

let server: RedisServer;
const opened: Stores[] = [];
beforeAll(async () => {
  server = await RedisServer.start();
});
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await server.stop();
});

const make = async () => {
  const s = redisStores(server.client());
  opened.push(s);
  return s;
};
const prefix = `r-${Date.now()}`;
governanceStoreContract('redis', async () => (await make()).governance, prefix);
auditLogContract('redis', make, prefix);
idempotencyStoreContract('redis', async () => (await make()).idempotency, prefix);
usageStoreContract('redis', async () => (await make()).usage, prefix);
leaseStoreContract('redis', async () => (await make()).leases, prefix);
