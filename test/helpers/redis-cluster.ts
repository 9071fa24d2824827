import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { spawnRedisServer } from './redis-server.js';

export interface ClusterNode {
  readonly port: number;
  readonly url: string;
  /** Kills the node (SIGKILL: no graceful save, like a crash). */
  kill(): Promise<void>;
  /** Starts it again on the same port with the same data directory, so it replays its append-only file. */
  start(): Promise<void>;
}

export interface RedisCluster {
  readonly nodes: readonly ClusterNode[];
  /** The comma-separated node URLs, as REDIS_CLUSTER_URLS takes them. */
  readonly urls: string;
  /** The node that holds `key`'s hash slot (by CLUSTER SLOTS, asked of a live node). */
  nodeFor(key: string | Buffer): Promise<ClusterNode>;
  /** Waits until every node reports cluster_state:ok. */
  waitHealthy(): Promise<void>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A port whose cluster bus port (port + 10000) is free too. */
async function clusterPort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if (taken.has(port) || taken.has(port + 10_000)) continue;
    if ((await portIsFree(port)) && (await portIsFree(port + 10_000))) {
      taken.add(port).add(port + 10_000);
      return port;
    }
  }
}

function cli(port: number, ...args: string[]): string {
  const result = spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' });
  return `${result.stdout}${result.stderr}`;
}

/**
 * A real Redis Cluster of `size` masters (no replicas) on loopback: `redis-server --cluster-enabled yes` per node with
 * append-only persistence fsynced on every write (so a killed master restarts with every claim it acknowledged), joined
 * with `redis-cli --cluster create`. `cluster-require-full-coverage no`: while one master is down the others keep
 * serving their own slots, which is how a replay store should run. No Docker.
 */
export async function startRedisCluster(size = 3): Promise<RedisCluster> {
  const taken = new Set<number>();
  const root = mkdtempSync(join(tmpdir(), 'keygate-cluster-'));
  const children = new Map<number, ChildProcess>();

  const startNode = (port: number): Promise<void> => {
    const dir = join(root, String(port));
    spawnSync('mkdir', ['-p', dir]);
    const args = [
      '--port', String(port), '--bind', '127.0.0.1', '--dir', dir,
      '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000',
      '--cluster-require-full-coverage', 'no',
      '--appendonly', 'yes', '--appendfsync', 'always', '--save', '',
    ];
    return spawnRedisServer(args, 15_000, (child) => children.set(port, child));
  };

  const kill = (port: number): Promise<void> =>
    new Promise((resolve) => {
      const child = children.get(port);
      if (child === undefined || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });

  const ports: number[] = [];
  for (let i = 0; i < size; i++) ports.push(await clusterPort(taken));
  process.once('exit', () => {
    for (const child of children.values()) child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });
  await Promise.all(ports.map(startNode));
  const created = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], {
    encoding: 'utf8',
  });
  if (created.status !== 0) throw new Error(`redis-cli --cluster create failed:\n${created.stdout}${created.stderr}`);

  const nodes: ClusterNode[] = ports.map((port) => ({ port, url: `redis://127.0.0.1:${port}`, kill: () => kill(port), start: () => startNode(port) }));
  const live = (): ClusterNode[] => nodes.filter((n) => children.get(n.port)?.exitCode === null && children.get(n.port)?.signalCode === null);

  const waitHealthy = async (): Promise<void> => {
    for (let i = 0; i < 300; i++) {
      if (nodes.every((n) => /cluster_state:ok/.test(cli(n.port, 'cluster', 'info')))) return;
      await sleep(100);
    }
    throw new Error(`the cluster did not become healthy:\n${nodes.map((n) => cli(n.port, 'cluster', 'info')).join('\n')}`);
  };
  await waitHealthy();

  const nodeFor = async (key: string | Buffer): Promise<ClusterNode> => {
    const client = createClient({ url: live()[0]!.url });
    await client.connect();
    try {
      const slot = Number(await client.sendCommand(['CLUSTER', 'KEYSLOT', key]));
      const ranges = (await client.sendCommand(['CLUSTER', 'SLOTS'])) as [number, number, [string, number]][];
      const owner = ranges.find(([first, last]) => slot >= first && slot <= last);
      const node = nodes.find((n) => n.port === Number(owner?.[2][1]));
      if (node === undefined) throw new Error(`no node holds slot ${slot}`);
      return node;
    } finally {
      client.destroy();
    }
  };

  return {
    nodes,
    urls: nodes.map((n) => n.url).join(','),
    nodeFor,
    waitHealthy,
    stop: async () => {
      await Promise.all(ports.map(kill));
      rmSync(root, { recursive: true, force: true });
    },
  };
}
