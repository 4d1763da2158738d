import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { loadOrCreateDevKeys, mintToken } from '../src/auth/dev-keys.js';
import { Child, hammer } from './harness.js';
import { APPLYING_MUTATION } from './queries.js';

// Governed changes applied per second through one gateway on a real Redis, then proof of exactly once: every
// APPLIED answer has its own version, the versions run 1..N without a gap or a repeat, one change id each.

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function approvalThroughput(env: Record<string, string>, stateDir: string, seconds: number) {
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', stateDir], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
  const gw = await Child.start('bench/serve-gateway.ts', ['fast', 'on', '16'], { ...env, REDIS_URL: `redis://127.0.0.1:${port}` });
  const { url } = (await gw.nextJson()) as { url: string };
  const keys = await loadOrCreateDevKeys(stateDir);
  const token = await mintToken(keys, { sub: 'ops-bench', tenant: 'acme', roles: ['ops-manager'] }, { issuer: 'clearance-dev', audience: 'clearance' });
  const applies = APPLYING_MUTATION();
  const run = await hammer(`${url}/graphql`, token, applies.body, seconds, true);
  const applied = (run.bodies ?? []).filter((b) => b.includes('"APPLIED"')).length;
  const history = (await (
    await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ settingHistory(key: "messaging.templates", environment: STAGING) { version changeId } }' }),
    })
  ).json()) as { data: { settingHistory: { version: number; changeId: string }[] } };
  const versions = history.data.settingHistory.map((h) => h.version);
  const exactlyOnce =
    versions.every((v, i) => v === i + 1) && new Set(history.data.settingHistory.map((h) => h.changeId)).size === versions.length && versions.length >= applied;
  await gw.stop();
  redis.kill('SIGKILL');
  return { perSecond: applied / seconds, applied, exactlyOnce };
}
