import { spawnSync } from 'node:child_process';
import { Cluster } from 'ioredis';
import { RedisServer } from './redis-server.js';

// A real 3-master Redis Cluster on loopback (no replicas), made with redis-cli --cluster create.
export class RedisCluster {
  private constructor(readonly nodes: RedisServer[]) {}

  static async start(): Promise<RedisCluster> {
    const nodes = await Promise.all(
      [0, 1, 2].map(() =>
        RedisServer.start(['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000']),
      ),
    );
    const create = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'],
      { encoding: 'utf8' },
    );
    if (create.status !== 0) throw new Error(`cluster create failed: ${create.stderr || create.stdout}`);
    for (let i = 0; i < 200; i++) {
      const info = spawnSync('redis-cli', ['-p', String(nodes[0]!.port), 'cluster', 'info'], { encoding: 'utf8' }).stdout;
      if (info.includes('cluster_state:ok')) return new RedisCluster(nodes);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('cluster did not become ok');
  }

  client(): Cluster {
    return new Cluster(this.nodes.map((n) => ({ host: '127.0.0.1', port: n.port })), { redisOptions: { maxRetriesPerRequest: 2 } });
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
  }
}
