import { createMemoryGovernanceStore } from '../../src/stores/memory-governance-store.js';
import { storeContract } from './contract.js';

storeContract('in-memory', async () => createMemoryGovernanceStore(), 'mem');
