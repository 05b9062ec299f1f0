/**
 * strongSwan's own daemon for the tests: Debian's `charon` (package strongswan-charon) driven by
 * `swanctl` (strongswan-swanctl) over a VICI socket of the test's own. Each daemon runs in a
 * network namespace and a mount namespace of its own (`unshare`), with a private /run (charon
 * writes /run/charon.pid, a fixed path) and a private `strongswan.conf` given by STRONGSWAN_CONF:
 * it binds no port of the host, installs nothing in the host's kernel, and the connections it
 * starts on loading reach nothing outside the namespace. A second daemon can join the first one's
 * network namespace (`nsenter`) to be its peer.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const CHARON = '/usr/lib/ipsec/charon';

/**
 * The plugins charon needs, found by running it: `random`, `nonce` and `sha1` (the daemon refuses
 * to start without a strong and a weak RNG and SHA-1), `kernel-netlink` (an IPsec kernel
 * interface is required), `socket-default` and `vici`; loading a connection checks its proposals'
 * keywords without the algorithms' plugins. `aes`, `sha2`, `md5`, `hmac` and `gmp` (the MODP
 * groups) are there for the handshakes.
 */
const PLUGINS = 'random nonce sha1 sha2 md5 aes hmac gmp kdf kernel-netlink socket-default vici';

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(path.join(dir, command)));
}

/** Why the strongSwan tests cannot run here, or undefined when they can. */
export function strongswanMissing(): string | undefined {
  if (process.getuid?.() !== 0) return 'not running as root (charon needs it)';
  if (!existsSync(CHARON)) return `no ${CHARON} (apt-get install strongswan-charon)`;
  if (!onPath('swanctl')) return 'no swanctl (apt-get install strongswan-swanctl)';
  for (const tool of ['unshare', 'nsenter', 'ip'])
    if (!onPath(tool)) return `no ${tool} (util-linux, iproute2)`;
  return undefined;
}

export interface Charon {
  pid: number;
  /** swanctl's output (stdout and stderr), and its exit code. */
  swanctl(args: string[]): Promise<{ code: number; output: string }>;
  log(): string;
  stop(): Promise<void>;
}

export interface CharonOptions {
  /** A directory of its own. */
  dir: string;
  /** The IKE ports; 0 (the default) takes random ones. */
  port?: number;
  portNatT?: number;
  /** Join this daemon's network namespace instead of making one. */
  peerOf?: Charon;
  /** Addresses added to the namespace's loopback (only where it makes the namespace). */
  addresses?: string[];
}

function configuration(dir: string, options: CharonOptions): string {
  return [
    'charon {',
    `  port = ${options.port ?? 0}`,
    `  port_nat_t = ${options.portNatT ?? 0}`,
    '  install_routes = no',
    '  routing_table = 0',
    `  load = ${PLUGINS}`,
    `  plugins { vici { socket = unix://${dir}/charon.vici } }`,
    `  filelog { charon { path = ${dir}/charon.log`,
    '    default = 1',
    '    flush_line = yes',
    '  } }',
    '}',
    // swanctl reads the same file: only what it needs, so it loads no plugin it lacks.
    'swanctl { load = random }',
    '',
  ].join('\n');
}

function commandFor(options: CharonOptions): [string, string[]] {
  const setup = ['mount -t tmpfs tmpfs /run'];
  if (!options.peerOf) {
    setup.push('ip link set lo up');
    for (const address of options.addresses ?? []) setup.push(`ip address add ${address}/32 dev lo`);
  }
  const script = `${setup.join(' && ')} && exec ${CHARON}`;
  if (options.peerOf)
    return [
      'nsenter',
      ['--target', String(options.peerOf.pid), '--net', 'unshare', '--mount', 'sh', '-c', script],
    ];
  return ['unshare', ['--mount', '--net', 'sh', '-c', script]];
}

async function waitFor(socket: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!existsSync(socket)) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`charon did not open its VICI socket:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startCharon(options: CharonOptions): Promise<Charon> {
  const { dir } = options;
  mkdirSync(dir, { recursive: true });
  const conf = path.join(dir, 'strongswan.conf');
  writeFileSync(conf, configuration(dir, options));
  const socket = path.join(dir, 'charon.vici');
  const [command, args] = commandFor(options);
  const child = spawn(command, args, {
    env: { ...process.env, STRONGSWAN_CONF: conf },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = () =>
    existsSync(path.join(dir, 'charon.log')) ? readFileSync(path.join(dir, 'charon.log'), 'utf8') : '';
  await waitFor(socket, child, () => `${output}${log()}`);
  return {
    pid: child.pid ?? 0,
    log,
    async swanctl(swanctlArgs) {
      try {
        const { stdout, stderr } = await run('swanctl', [...swanctlArgs, '--uri', `unix://${socket}`], {
          env: { ...process.env, STRONGSWAN_CONF: conf },
        });
        return { code: 0, output: `${stdout}${stderr}` };
      } catch (error) {
        const e = error as { code?: number; stdout?: string; stderr?: string };
        return { code: e.code ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
