import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

// A real redis-server (Debian package, installed by scripts/test.sh) started by the test on loopback, on a free port,
// with no persistence: each test file gets its own and stops it.

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export class RedisServer {
  private proc: ChildProcess | null = null;
  readonly dir = mkdtempSync(join(tmpdir(), 'clearance-redis-'));
  constructor(
    readonly port: number,
    private readonly extraArgs: string[] = [],
  ) {}

  static async start(extraArgs: string[] = []): Promise<RedisServer> {
    const s = new RedisServer(await freePort(), extraArgs);
    await s.start();
    return s;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.proc = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, ...this.extraArgs],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i++) {
      const r = spawnSync('redis-cli', ['-p', String(this.port), 'ping'], { encoding: 'utf8' });
      if (r.stdout.trim() === 'PONG') return;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error(`redis-server did not start on ${this.port}`);
  }

  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = null;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGKILL');
    });
  }

  client(): Redis {
    return new Redis(this.url, { lazyConnect: false, enableOfflineQueue: true, maxRetriesPerRequest: 1 });
  }
}
