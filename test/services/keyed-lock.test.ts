import { describe, expect, it } from 'vitest';
import { KeyedLock } from '../../src/services/governance/keyed-lock.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('KeyedLock', () => {
  it('runs work for one key one at a time, in arrival order, and other keys alongside', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const job = (key: string, name: string) =>
      lock.run(key, async () => {
        running++;
        most = Math.max(most, running);
        log.push(`${name}+`);
        await tick();
        log.push(`${name}-`);
        running--;
        return name;
      });
    const results = await Promise.all([job('a', 'a1'), job('a', 'a2'), job('a', 'a3'), job('b', 'b1')]);
    expect(results).toEqual(['a1', 'a2', 'a3', 'b1']);
    const a = log.filter((l) => l.startsWith('a'));
    expect(a).toEqual(['a1+', 'a1-', 'a2+', 'a2-', 'a3+', 'a3-']);
    // b ran while a was held: at most one per key, two at once overall.
    expect(most).toBe(2);
  });

  it('a failure reaches its own caller only, and the next one still runs; idle keys are forgotten', async () => {
    const lock = new KeyedLock();
    const first = lock.run('k', async () => {
      await tick();
      throw new Error('boom');
    });
    const second = lock.run('k', async () => 'ran');
    await expect(first).rejects.toThrow('boom');
    await expect(second).resolves.toBe('ran');
    await tick();
    expect(lock.size).toBe(0);
  });
});
