import { memoryStores } from '../../src/stores/create-store.js';
import { auditLogContract } from './audit-log-contract.js';
import { governanceStoreContract } from './governance-store-contract.js';
import { idempotencyStoreContract } from './idempotency-store-contract.js';
import { leaseStoreContract } from './lease-store-contract.js';
import { usageStoreContract } from './usage-store-contract.js';

// Every store contract against the in-memory implementations (a fresh bundle per test; the governance store is one
// instance for the whole contract, as Redis is one server: "two gateways" share it, tests keep apart by tenant).
// Nothing the memory store holds was written by an earlier version, so it has no open-change index to forget: the
// backfill case runs against it as it is (the listings must still be right under concurrent writes).
const governance = memoryStores().governance;
governanceStoreContract('in-memory', async () => governance, 'mem', async () => {});
auditLogContract('in-memory', async () => memoryStores(), 'mem');
idempotencyStoreContract('in-memory', async () => memoryStores().idempotency, 'mem');
usageStoreContract('in-memory', async () => memoryStores().usage, 'mem');
leaseStoreContract('in-memory', async () => memoryStores().leases, 'mem');
