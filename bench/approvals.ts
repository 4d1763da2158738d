import { spawn, type ChildProcess } from 'node:child_process';
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

export interface ApprovalGateway {
  readonly gw: Child;
  readonly url: string;
  readonly redis: ChildProcess;
}

/** Starts Redis and the gateway on it (the benchmark starts it beside the others, so --quick waits for one start-up). */
export async function startApprovalGateway(env: Record<string, string>, stateDir: string): Promise<ApprovalGateway> {
  const port = await freePort();
  const redis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', stateDir],
    { stdio: 'ignore' },
  );
  await new Promise((r) => setTimeout(r, 300));
  const gw = await Child.start('bench/serve-gateway.ts', ['fast', 'on', '16'], { ...env, REDIS_URL: `redis://127.0.0.1:${port}` });
  const { url } = (await gw.nextJson()) as { url: string };
  return { gw, url, redis };
}

export async function approvalThroughput(env: Record<string, string>, stateDir: string, seconds: number, started?: ApprovalGateway) {
  const { gw, url, redis } = started ?? (await startApprovalGateway(env, stateDir));
  const keys = await loadOrCreateDevKeys(stateDir);
  const token = await mintToken(
    keys,
    { sub: 'ops-bench', tenant: 'acme', roles: ['ops-manager'] },
    { issuer: 'clearance-dev', audience: 'clearance' },
  );
  const applies = APPLYING_MUTATION();
  // Warmed up first (JIT, connection pool), like the query runs; its changes count in the exactly-once check too.
  const warm = await hammer(`${url}/graphql`, token, applies.body, Math.min(2, seconds / 2), true);
  const run = await hammer(`${url}/graphql`, token, applies.body, seconds, true);
  const versionsOf = (bodies: readonly string[] = []) =>
    bodies
      .map((b) => (JSON.parse(b) as { data?: { updateSetting?: { status: string; version: number } } }).data?.updateSetting)
      .filter((u) => u?.status === 'APPLIED')
      .map((u) => u!.version);
  const answered = [...versionsOf(warm.bodies), ...versionsOf(run.bodies)];
  const applied = versionsOf(run.bodies).length;
  const history = (await (
    await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ settingHistory(key: "messaging.templates", environment: STAGING) { version changeId } }' }),
    })
  ).json()) as { data: { settingHistory: { version: number; changeId: string }[] } };
  const versions = history.data.settingHistory.map((h) => h.version);
  // Versions 1..N without a gap or a repeat, one change id each, and every APPLIED answer a version of its own among
  // them (requests cut off when the run stopped may have applied without their answer being counted: N >= answers).
  const exactlyOnce =
    versions.every((v, i) => v === i + 1) &&
    new Set(history.data.settingHistory.map((h) => h.changeId)).size === versions.length &&
    new Set(answered).size === answered.length &&
    answered.every((v) => v >= 1 && v <= versions.length);
  await gw.stop();
  redis.kill('SIGKILL');
  return { perSecond: applied / seconds, applied, exactlyOnce };
}
