import { Redis } from 'ioredis';
import type { ChangeEventBus } from './change-event-bus.js';
import { MemoryChangeEventBus } from './memory-change-event-bus.js';
import { RedisChangeEventBus } from './redis-change-event-bus.js';

// Redis pub/sub when the store is Redis (replicas share it), the in-process bus otherwise. Its own two connections:
// a subscribing connection can run nothing else, and the store's client must stay free for commits.
export async function createChangeEventBus(redisUrl: string | null): Promise<ChangeEventBus> {
  if (!redisUrl) return new MemoryChangeEventBus();
  const options = {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (times: number) => Math.min(times * 100, 2_000),
  };
  const publisher = new Redis(redisUrl, { ...options, enableOfflineQueue: false, commandTimeout: 2_000 });
  // The subscriber re-subscribes by itself after a reconnect (ioredis autoResubscribe).
  const subscriber = new Redis(redisUrl, options);
  // Never log the URL (it may hold a password); a failed publish is reported by its caller.
  publisher.on('error', () => {});
  subscriber.on('error', () => {});
  try {
    await Promise.all([publisher.connect(), subscriber.connect()]);
  } catch (e) {
    publisher.disconnect();
    subscriber.disconnect();
    throw e;
  }
  return new RedisChangeEventBus(publisher, subscriber);
}
