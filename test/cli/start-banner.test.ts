import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisServer } from '../support/redis-server.js';

// What `npm start` prints (src/main.ts), as a new user reads it. A tester minted a token as the banner said, without
// the gateway's CLEARANCE_STATE_DIR, and got UNKNOWN_KEY; another ran the embedded gateway on Redis and was told that
// state and audit were in memory. The banner now names the state directory in the mint command and the store in use.

let redis: RedisServer;
beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(() => redis?.stop());

/** Starts the gateway, reads its banner up to the curl example, and stops it. */
function banner(env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Then:')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk: Buffer) => void (err += chunk.toString()));
    child.on('exit', () => (out.includes('Then:') ? resolve(out) : reject(new Error(`no banner: ${out} ${err}`))));
  });
}

describe('the start-up banner', () => {
  it('in memory: says so, and the mint command carries the state directory the gateway uses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clearance-banner-'));
    const out = await banner({ CLEARANCE_STATE_DIR: dir });
    expect(out).toContain('embedded mode keeps state in memory');
    expect(out).toMatch(/Audit log: in memory/);
    expect(out).toContain(`CLEARANCE_STATE_DIR=${dir} npx --no clearance token --role clinician`);
  }, 60_000);

  it('on Redis: names Redis for state and audit, never "in memory"', async () => {
    const out = await banner({ CLEARANCE_STATE_DIR: mkdtempSync(join(tmpdir(), 'clearance-banner-')), REDIS_URL: redis.url });
    expect(out).not.toMatch(/in memory/);
    expect(out).toContain('state is in Redis');
    expect(out).toContain('Audit log: redis, every record kept.');
  }, 60_000);
});
