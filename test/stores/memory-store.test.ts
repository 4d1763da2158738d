import { memoryStores } from '../../src/stores/create-store.js';
import { auditLogContract } from './audit-log-contract.js';
import { governanceStoreContract } from './governance-store-contract.js';
import { idempotencyStoreContract } from './idempotency-store-contract.js';
import { leaseStoreContract } from './lease-store-contract.js';
import { usageStoreContract } from './usage-store-contract.js';

// Every store contract against the in-memory implementations (a fresh bundle per test).
governanceStoreContract('in-memory', async () => memoryStores().governance, 'mem');
auditLogContract('in-memory', async () => memoryStores(), 'mem');
idempotencyStoreContract('in-memory', async () => memoryStores().idempotency, 'mem');
usageStoreContract('in-memory', async () => memoryStores().usage, 'mem');
leaseStoreContract('in-memory', async () => memoryStores().leases, 'mem');
