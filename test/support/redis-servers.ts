/**
 * Real Redis topologies for tests, started from Debian's `redis-server` on free loopback ports in
 * a temporary folder: a Sentinel group (a primary, its replicas, three Sentinels, all in one
 * binary: `redis-server <conf> --sentinel`) and a Redis Cluster (primaries, each with replicas).
 * Every server is stopped and its folder removed by `close()`; a process exit kills any left over,
 * so a failing test never leaves servers behind.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './private-redis.js';

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retries `get` until it returns a value (errors count as not yet), or fails saying what it waited for. */
export async function until<T>(
  what: string,
  get: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await get();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`,
      );
    await sleep(100);
  }
}

export interface RedisServerOptions {
  /** Started with `--sentinel`. */
  sentinel?: boolean;
  password?: string | undefined;
  /** The server speaks TLS only, with a certificate signed by this CA (PEM). */
  tlsCa?: string | undefined;
}

/** One redis-server process, restartable on the same port with the same data folder. */
export class RedisServer {
  private child: ChildProcess | undefined;
  constructor(
    readonly port: number,
    private readonly confFile: string,
    private readonly options: RedisServerOptions = {},
  ) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** A direct connection to this one server (not through Sentinel or the cluster). */
  client(): Redis {
    const client = new Redis({
      host: '127.0.0.1',
      port: this.port,
      ...(this.options.password ? { password: this.options.password } : {}),
      ...(this.options.tlsCa ? { tls: { ca: this.options.tlsCa } } : {}),
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => {});
    return client;
  }

  /** Runs one command on this server and disconnects. */
  async command<T>(run: (client: Redis) => Promise<T>): Promise<T> {
    const client = this.client();
    try {
      await client.connect();
      return await run(client);
    } finally {
      client.disconnect();
    }
  }

  async start(): Promise<void> {
    const args = this.options.sentinel ? [this.confFile, '--sentinel'] : [this.confFile];
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    running.add(child);
    child.once('exit', () => running.delete(child));
    this.child = child;
    await until(`redis-server on ${this.address}`, async () => {
      if (!this.alive) throw new Error(`redis-server on ${this.address} exited`);
      return (await this.command((c) => c.ping())) === 'PONG' ? true : undefined;
    });
  }

  /** Kills the server (SIGKILL by default: no shutdown, no last write) and waits for it to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || !this.alive) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  }

  /** Pauses (SIGSTOP) or resumes (SIGCONT) the process: a server that stops answering, not one that died. */
  pause(paused: boolean): void {
    this.child?.kill(paused ? 'SIGSTOP' : 'SIGCONT');
  }
}

/** A CA and a certificate it signed for 127.0.0.1, made with openssl, as files and the CA's PEM. */
export interface TlsFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
  ca: string;
}

export function makeTlsFiles(dir: string): TlsFiles {
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=gateway-bot test CA',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.crt'),
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    file('redis.key'),
    '-out',
    file('redis.csr'),
  );
  writeFileSync(file('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(
    'x509',
    '-req',
    '-in',
    file('redis.csr'),
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    file('san.ext'),
    '-out',
    file('redis.crt'),
  );
  return {
    caFile: file('ca.crt'),
    certFile: file('redis.crt'),
    keyFile: file('redis.key'),
    ca: readFileSync(file('ca.crt'), 'utf8'),
  };
}

/** The lines that make a server listen on `port` in plain text, or in TLS only (replication too). */
function listenLines(port: number, tls: TlsFiles | undefined): string[] {
  if (!tls) return [`port ${port}`];
  return [
    'port 0',
    `tls-port ${port}`,
    `tls-cert-file ${tls.certFile}`,
    `tls-key-file ${tls.keyFile}`,
    `tls-ca-cert-file ${tls.caFile}`,
    'tls-auth-clients no',
    'tls-replication yes',
  ];
}

interface NodeConfig {
  dir: string;
  port: number;
  password: string | undefined;
  lines: string[];
  tls?: TlsFiles | undefined;
}

function writeNodeConfig({ dir, port, password, lines, tls }: NodeConfig): string {
  const nodeDir = path.join(dir, String(port));
  mkdirSync(nodeDir, { recursive: true });
  const file = path.join(nodeDir, 'redis.conf');
  writeFileSync(
    file,
    [
      ...listenLines(port, tls),
      'bind 127.0.0.1',
      `dir ${nodeDir}`,
      `logfile ${path.join(nodeDir, 'redis.log')}`,
      'save ""',
      ...(password ? [`requirepass ${password}`, `masterauth ${password}`] : []),
      ...lines,
      '',
    ].join('\n'),
  );
  return file;
}

/**
 * What an acknowledged write needs to survive a failover, as docs/operations.md and docker-compose.yml
 * set it: every node appends to its log, and replicas resync without a disk round trip.
 */
export const DURABILITY_CONFIG = ['appendonly yes', 'appendfsync everysec', 'repl-diskless-sync yes'];
/**
 * Replication as docs/operations.md sets it: a primary accepts writes only while a
 * replica is connected and caught up within 10 s, so a primary cut off from its replicas cannot
 * take writes that the next failover would drop.
 */
export const PRODUCTION_REPLICATION = ['min-replicas-to-write 1', 'min-replicas-max-lag 10'];
/** Test speed only: start replication at once instead of waiting for more replicas to join. */
const FAST_SYNC = ['repl-diskless-sync-delay 0'];
/** No persistence at all: what a primary restarted from nothing looks like. */
export const NO_PERSISTENCE = ['appendonly no'];

export interface SentinelGroup {
  /** The name Sentinel knows the primary by (`REDIS_SENTINEL_MASTER`). */
  master: string;
  password: string | undefined;
  /** `host:port,…` of the Sentinels (`REDIS_SENTINELS`). */
  sentinelList: string;
  sentinels: RedisServer[];
  /** Every data node, the first one the initial primary. */
  nodes: RedisServer[];
  /** With `tls`: the CA file that signed every server's certificate. */
  tlsCaFile?: string;
  /** The data node Sentinel currently names as primary. */
  primary(): Promise<RedisServer>;
  /**
   * Kills the current primary with SIGKILL (then runs `afterKill`) and resolves once Sentinel has
   * promoted another.
   */
  failover(
    afterKill?: () => unknown,
  ): Promise<{ killed: RedisServer; promoted: RedisServer; switchMs: number }>;
  close(): Promise<void>;
}

export interface SentinelGroupOptions {
  replicas?: number;
  /** The data nodes' password (`requirepass`, `masterauth`). */
  password?: string;
  /** The Sentinels' own password, which they also use with each other. */
  sentinelPassword?: string;
  /** How long the primary must be silent before a Sentinel calls it down. */
  downAfterMs?: number;
  /** Extra lines for every data node's configuration. */
  nodeConfig?: string[];
  /** Persistence lines of the data nodes. @defaultValue DURABILITY_CONFIG */
  persistence?: string[];
  /** Every server, Sentinels included, speaks TLS only (certificates made here). */
  tls?: boolean;
}

export async function startSentinelGroup(options: SentinelGroupOptions = {}): Promise<SentinelGroup> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gw-sentinel-'));
  const master = 'gw-primary';
  const password = options.password;
  const servers: RedisServer[] = [];
  const close = async () => {
    for (const s of servers) s.pause(false);
    await Promise.all(servers.map((s) => s.kill()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const tls = options.tls ? makeTlsFiles(dir) : undefined;
    const ports = await distinctFreePorts(1 + (options.replicas ?? 1) + 3);
    const [primaryPort, ...rest] = ports as [number, ...number[]];
    const replicaPorts = rest.slice(0, options.replicas ?? 1);
    const sentinelPorts = rest.slice(options.replicas ?? 1);
    const nodeLines = [
      ...(options.persistence ?? DURABILITY_CONFIG),
      ...FAST_SYNC,
      ...(options.nodeConfig ?? []),
    ];
    const nodes = [primaryPort, ...replicaPorts].map((port, i) => {
      const lines = i === 0 ? nodeLines : [...nodeLines, `replicaof 127.0.0.1 ${primaryPort}`];
      return new RedisServer(port, writeNodeConfig({ dir, port, password, lines, tls }), {
        password,
        tlsCa: tls?.ca,
      });
    });
    servers.push(...nodes);
    for (const node of nodes) await node.start();
    await Promise.all(nodes.slice(1).map((n) => replicaInSync(n)));
    await primaryCountsReplicas(nodes[0] as RedisServer, nodes.length - 1);

    const downAfter = options.downAfterMs ?? 1_000;
    const sentinels = sentinelPorts.map((port) => {
      const lines = [
        `sentinel monitor ${master} 127.0.0.1 ${primaryPort} 2`,
        `sentinel down-after-milliseconds ${master} ${downAfter}`,
        `sentinel failover-timeout ${master} 10000`,
        `sentinel parallel-syncs ${master} 1`,
        ...(password ? [`sentinel auth-pass ${master} ${password}`] : []),
        ...(options.sentinelPassword
          ? [`requirepass ${options.sentinelPassword}`, `sentinel sentinel-pass ${options.sentinelPassword}`]
          : []),
      ];
      // Sentinel rewrites its configuration file, so each gets its own (no data lines apply).
      const nodeDir = path.join(dir, String(port));
      mkdirSync(nodeDir, { recursive: true });
      const file = path.join(nodeDir, 'sentinel.conf');
      writeFileSync(
        file,
        [
          ...listenLines(port, tls),
          'bind 127.0.0.1',
          `dir ${nodeDir}`,
          `logfile ${path.join(nodeDir, 'sentinel.log')}`,
          ...lines,
          '',
        ].join('\n'),
      );
      return new RedisServer(port, file, {
        sentinel: true,
        password: options.sentinelPassword,
        tlsCa: tls?.ca,
      });
    });
    servers.push(...sentinels);
    for (const s of sentinels) await s.start();
    // Ready when every Sentinel knows the others and the replicas (they discover them by gossip).
    await until('the Sentinels to know each other and the replicas', async () => {
      for (const s of sentinels) {
        const info = await s.command((c) => c.call('SENTINEL', 'MASTER', master) as Promise<string[]>);
        const fields = pairs(info);
        if (Number(fields['num-other-sentinels']) !== sentinels.length - 1) return undefined;
        if (Number(fields['num-slaves']) !== nodes.length - 1) return undefined;
      }
      return true;
    });

    const primary = async () => {
      const addr = (await sentinels[0]?.command(
        (c) => c.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', master) as Promise<[string, string]>,
      )) ?? ['', ''];
      const found = nodes.find((n) => n.port === Number(addr[1]));
      if (!found) throw new Error(`Sentinel names an unknown primary ${addr.join(':')}`);
      return found;
    };

    return {
      master,
      password,
      sentinelList: sentinels.map((s) => s.address).join(','),
      sentinels,
      nodes,
      ...(tls ? { tlsCaFile: tls.caFile } : {}),
      primary,
      async failover(afterKill) {
        const killed = await primary();
        const t0 = Date.now();
        await killed.kill('SIGKILL');
        await afterKill?.();
        const promoted = await until(
          'Sentinel to promote a replica',
          async () => {
            const now = await primary();
            if (now === killed) return undefined;
            const role = await now.command((c) => c.call('ROLE') as Promise<unknown[]>);
            return role[0] === 'master' ? now : undefined;
          },
          60_000,
        );
        return { killed, promoted, switchMs: Date.now() - t0 };
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

export interface RedisClusterHandle {
  /** `host:port,…` of every node (`REDIS_CLUSTER_NODES`). */
  nodeList: string;
  nodes: RedisServer[];
  password: string | undefined;
  /** The node that serves the slot of a key (or hash tag) now. */
  primaryFor(key: string): Promise<RedisServer>;
  /** Kills the primary of a key's slot with SIGKILL and resolves once its replica took over. */
  failover(key: string): Promise<{ killed: RedisServer; promoted: RedisServer; switchMs: number }>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  primaries?: number;
  replicasPerPrimary?: number;
  password?: string;
  /** How long a node may be silent before the others call it failing. */
  nodeTimeoutMs?: number;
  nodeConfig?: string[];
}

const SLOTS = 16_384;

export async function startRedisCluster(options: ClusterOptions = {}): Promise<RedisClusterHandle> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gw-cluster-'));
  const password = options.password;
  const primaries = options.primaries ?? 3;
  const perPrimary = options.replicasPerPrimary ?? 1;
  const nodes: RedisServer[] = [];
  const close = async () => {
    for (const s of nodes) s.pause(false);
    await Promise.all(nodes.map((s) => s.kill()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const count = primaries * (1 + perPrimary);
    // A cluster node also listens on a bus port; both come from the free ones (`cluster-port`).
    const ports = await distinctFreePorts(count * 2);
    for (let i = 0; i < count; i++) {
      const port = ports[i] as number;
      const lines = [
        'cluster-enabled yes',
        'cluster-config-file nodes.conf',
        `cluster-node-timeout ${options.nodeTimeoutMs ?? 1_000}`,
        `cluster-port ${ports[count + i]}`,
        ...DURABILITY_CONFIG,
        ...FAST_SYNC,
        ...(options.nodeConfig ?? []),
      ];
      nodes.push(new RedisServer(port, writeNodeConfig({ dir, port, password, lines }), { password }));
    }
    await Promise.all(nodes.map((n) => n.start()));

    const ids = await Promise.all(
      nodes.map((n) => n.command((c) => c.call('CLUSTER', 'MYID') as Promise<string>)),
    );
    for (let i = 0; i < primaries; i++) {
      const from = Math.floor((i * SLOTS) / primaries);
      const to = Math.floor(((i + 1) * SLOTS) / primaries) - 1;
      await nodes[i]?.command((c) => c.call('CLUSTER', 'ADDSLOTSRANGE', from, to));
    }
    const first = nodes[0] as RedisServer;
    const firstBus = ports[count] as number;
    for (const [i, node] of nodes.entries()) {
      if (i === 0) continue;
      await node.command((c) => c.call('CLUSTER', 'MEET', '127.0.0.1', first.port, firstBus));
    }
    await until('every cluster node to know every other', async () => {
      for (const node of nodes) {
        const known = await node.command((c) => c.call('CLUSTER', 'NODES') as Promise<string>);
        if (known.trim().split('\n').length !== count) return undefined;
      }
      return true;
    });
    for (let r = 0; r < primaries * perPrimary; r++) {
      const replica = nodes[primaries + r] as RedisServer;
      const primaryId = ids[r % primaries] as string;
      await until(`node ${replica.address} to replicate its primary`, () =>
        replica.command((c) => c.call('CLUSTER', 'REPLICATE', primaryId)).then(() => true),
      );
    }
    await Promise.all(nodes.slice(primaries).map((n) => replicaInSync(n)));
    await Promise.all(nodes.slice(0, primaries).map((n) => primaryCountsReplicas(n, perPrimary)));
    await until('the cluster to be ok on every node', async () => {
      for (const node of nodes) {
        const info = await node.command((c) => c.call('CLUSTER', 'INFO') as Promise<string>);
        if (!info.includes('cluster_state:ok')) return undefined;
      }
      return true;
    });

    const primaryFor = async (key: string) => {
      const alive = nodes.find((n) => n.alive) as RedisServer;
      const slot = await alive.command((c) => c.call('CLUSTER', 'KEYSLOT', key) as Promise<number>);
      const shards = await alive.command(
        (c) => c.call('CLUSTER', 'SLOTS') as Promise<[number, number, [string, number]][]>,
      );
      const shard = shards.find(([from, to]) => slot >= from && slot <= to);
      const owner = nodes.find((n) => n.port === Number(shard?.[2][1]));
      if (!owner) throw new Error(`no node serves slot ${slot}`);
      return owner;
    };

    return {
      nodeList: nodes.map((n) => n.address).join(','),
      nodes,
      password,
      primaryFor,
      async failover(key) {
        const killed = await primaryFor(key);
        const t0 = Date.now();
        await killed.kill('SIGKILL');
        const promoted = await until(
          'a replica to take over the slot',
          async () => {
            const owner = await primaryFor(key);
            if (owner === killed) return undefined;
            const info = await owner.command((c) => c.call('CLUSTER', 'INFO') as Promise<string>);
            return info.includes('cluster_state:ok') ? owner : undefined;
          },
          60_000,
        );
        return { killed, promoted, switchMs: Date.now() - t0 };
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Waits until a replica has finished its first sync with its primary. */
async function replicaInSync(node: RedisServer): Promise<void> {
  await until(`replica ${node.address} to sync`, async () => {
    const info = await node.command((c) => c.info('replication'));
    return info.includes('master_link_status:up') ? true : undefined;
  });
}

/**
 * Waits until a primary counts its replicas as good: with min-replicas-to-write it takes writes
 * only then, and it recounts once a second.
 */
async function primaryCountsReplicas(node: RedisServer, replicas: number): Promise<void> {
  await until(`primary ${node.address} to count ${replicas} replica(s)`, async () => {
    const info = await node.command((c) => c.info('replication'));
    const good = /min_slaves_good_slaves:(\d+)/.exec(info)?.[1];
    const connected = /connected_slaves:(\d+)/.exec(info)?.[1];
    if (Number(good ?? connected) === replicas) return true;
    // Kept as the last error, so that a timeout says which replicas the primary saw.
    throw new Error(
      `good ${good ?? '-'}, connected ${connected ?? '-'}; ${info
        .split(/\r?\n/)
        .filter((line) => /^slave\d+:/.test(line))
        .join(' ')}`,
    );
  });
}

async function distinctFreePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

/** Sentinel answers a flat list of alternating names and values. */
function pairs(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) out[list[i] as string] = list[i + 1] as string;
  return out;
}
