import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './redis-server.js';

// A real PostgreSQL 15 (Debian package, installed by scripts/test.sh) started by the test: initdb into a temp dir,
// postgres on a free loopback port, no fsync (a test cluster need not survive a power cut), stopped and removed by
// the test. PostgreSQL refuses to run as root: under root the cluster runs as the `postgres` system user.

// Debian's postgresql installs its binaries per major version: the newest one installed.
const BIN = `/usr/lib/postgresql/${
  readdirSync('/usr/lib/postgresql')
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))[0] ?? '15'
}/bin`;
const SUPERUSER = 'clearance_owner';

function asPostgresUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

export class PostgresServer {
  private proc: ChildProcess | null = null;
  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly user: { uid: number; gid: number } | null,
  ) {}

  static async start(): Promise<PostgresServer> {
    const user = asPostgresUser();
    const dir = mkdtempSync(join(tmpdir(), 'clearance-pg-'));
    if (user) chownSync(dir, user.uid, user.gid);
    chmodSync(dir, 0o700);
    const data = join(dir, 'data');
    const init = spawnSync(`${BIN}/initdb`, ['-D', data, '-U', SUPERUSER, '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'], {
      encoding: 'utf8',
      ...(user ?? {}),
    });
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
    const s = new PostgresServer(await freePort(), dir, user);
    await s.start();
    return s;
  }

  /** The owner (superuser) URL: migrations and retention. */
  get ownerUrl(): string {
    return `postgres://${SUPERUSER}@127.0.0.1:${this.port}/postgres`;
  }

  /** A URL for another role of this cluster (the archive role the migration creates). */
  urlFor(role: string, password: string): string {
    return `postgres://${role}:${encodeURIComponent(password)}@127.0.0.1:${this.port}/postgres`;
  }

  async start(): Promise<void> {
    const data = join(this.dir, 'data');
    this.proc = spawn(
      `${BIN}/postgres`,
      ['-D', data, '-p', String(this.port), '-h', '127.0.0.1', '-k', this.dir, '-c', 'fsync=off', '-c', 'full_page_writes=off'],
      {
        stdio: 'ignore',
        ...(this.user ?? {}),
      },
    );
    for (let i = 0; i < 200; i++) {
      const c = new pg.Client({ connectionString: this.ownerUrl });
      try {
        await c.connect();
        await c.end();
        return;
      } catch {
        await c.end().catch(() => {});
        await new Promise((res) => setTimeout(res, 50));
      }
    }
    throw new Error(`postgres did not start on ${this.port}`);
  }

  /** Stops the server (kept on disk: start() brings it back with its data). */
  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = null;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGINT'); // fast shutdown
    });
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
