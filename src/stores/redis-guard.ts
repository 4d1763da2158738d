import type { Cluster, Redis } from 'ioredis';
import { StoreUnavailableError } from '../errors/errors.js';

/** A single node or a Cluster: every multi-key step of the Redis stores is one script over keys of one hash tag. */
export type RedisClient = Redis | Cluster;

/** Any Redis failure fails closed with one clear error; what failed stays in the server's own logs. */
export async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof StoreUnavailableError) throw e;
    throw new StoreUnavailableError('redis');
  }
}
