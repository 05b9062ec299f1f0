import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readSimulatorEnv } from '../../../src/sandbox/simulator/index.js';
import { nodeArgsFor } from '../../support/processes.js';
import { popClient } from '../../support/simulator.js';
import { popFailure } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** `npm run simulator`'s entry, from source, with only the given SIMULATOR_* variables. */
function start(env: Record<string, string>) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SIMULATOR_')));
  const child = spawn(process.execPath, nodeArgsFor('src/sandbox/simulator/main.ts'), {
    cwd: ROOT,
    env: { ...clean, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', () => {
      if (stdout.includes('\n')) resolve(stdout.split('\n')[0] as string);
    });
    void exited.then((code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
  // Only awaited when the test expects a start; an expected early exit must not be an unhandled rejection.
  firstLine.catch(() => undefined);
  return { child, exited, firstLine, output: () => ({ stdout, stderr }) };
}

describe('npm run simulator (src/sandbox/simulator/main.ts)', () => {
  it('listens where its one log line says, answers pop-core with the configured key, and stops on SIGTERM', async () => {
    const proc = start({
      SIMULATOR_PORT: '0',
      SIMULATOR_ACCESS_KEY_ID: 'proc-key',
      SIMULATOR_ACCESS_KEY_SECRET: 'proc-secret-value',
      SIMULATOR_PROVISION_TIME: '500ms',
      SIMULATOR_DELETE_TIME: '2s',
      SIMULATOR_FAULTS: 'DescribeVpcs:Throttling.User=1',
      SIMULATOR_RATE_LIMITS: 'DescribeRegions=1/min',
    });
    const line = JSON.parse(await proc.firstLine) as { msg: string; url: string; provisionTimeMs: number };
    expect(line).toMatchObject({ msg: 'VPC simulator listening', provisionTimeMs: 500, deleteTimeMs: 2_000 });
    const sim = { url: line.url };
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const key = { accessKeyId: 'proc-key', accessKeySecret: 'proc-secret-value' };
    const regions = await popClient(sim, key).call<{ Regions: { Region: unknown[] } }>('DescribeRegions');
    expect(regions.Regions.Region.length).toBeGreaterThan(4);
    expect((await popFailure(popClient(sim, key).call('DescribeRegions'))).code).toBe('Throttling.User');
    expect(
      (await popFailure(popClient(sim, key).call('DescribeVpcs', { RegionId: 'cn-hangzhou' }))).code,
    ).toBe('Throttling.User');
    expect((await popFailure(popClient(sim).call('DescribeRegions'))).code).toBe(
      'InvalidAccessKeyId.NotFound',
    );
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(JSON.stringify(proc.output())).not.toContain('proc-secret-value');
  });

  it('refuses bad configuration with every problem listed and exit code 2, without echoing the secret', async () => {
    const proc = start({
      SIMULATOR_PORT: '70000',
      SIMULATOR_ACCESS_KEY_SECRET: 'bad secret with spaces',
      SIMULATOR_PROVISION_TIME: 'soon',
      SIMULATOR_FAULTS: 'Throttling.User=2',
    });
    expect(await proc.exited).toBe(2);
    const { stdout, stderr } = proc.output();
    expect(stdout).toBe('');
    expect(stderr).toContain('Simulator configuration is invalid');
    for (const name of [
      'SIMULATOR_PORT',
      'SIMULATOR_ACCESS_KEY_SECRET',
      'SIMULATOR_PROVISION_TIME',
      'SIMULATOR_FAULTS',
    ])
      expect(stderr).toContain(name);
    expect(stderr).not.toContain('bad secret with spaces');
  });
});

describe('npm run simulator with several accounts', () => {
  it('serves each SIMULATOR_ACCOUNTS entry as an account of its own, naming them without their secrets', async () => {
    const proc = start({
      SIMULATOR_PORT: '0',
      SIMULATOR_ACCOUNTS:
        'prod:proc-prod-key:prod-secret-value,staging:proc-staging-key:staging:secret-value',
    });
    const line = JSON.parse(await proc.firstLine) as { url: string; accounts: unknown };
    expect(line.accounts).toEqual([
      { name: 'prod', accessKeyId: 'proc-prod-key' },
      { name: 'staging', accessKeyId: 'proc-staging-key' },
    ]);
    const sim = { url: line.url };
    const staging = { accessKeyId: 'proc-staging-key', accessKeySecret: 'staging:secret-value' };
    await popClient(sim, staging).call('CreateCustomerGateway', {
      RegionId: 'cn-hangzhou',
      IpAddress: '47.60.0.1',
    });
    await popClient(sim, { accessKeyId: 'proc-prod-key', accessKeySecret: 'prod-secret-value' }).call(
      'DescribeRegions',
    );
    const state = async (account: string) =>
      (await (await fetch(`${sim.url}/_simulator/state?account=${account}`)).json()) as {
        customerGateways: unknown[];
        calls: Record<string, number>;
      };
    expect((await state('staging')).customerGateways).toHaveLength(1);
    expect(await state('prod')).toMatchObject({ customerGateways: [], calls: { DescribeRegions: 1 } });
    expect((await popFailure(popClient(sim).call('DescribeRegions'))).code).toBe(
      'InvalidAccessKeyId.NotFound',
    );
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    const output = JSON.stringify(proc.output());
    for (const secret of ['prod-secret-value', 'staging:secret-value']) expect(output).not.toContain(secret);
  });
});

describe('readSimulatorEnv', () => {
  it('has the documented defaults', () => {
    expect(readSimulatorEnv({})).toEqual({
      ok: true,
      config: {
        port: 9000,
        host: '127.0.0.1',
        accessKeyId: 'sandbox',
        accessKeySecret: 'sandbox-secret',
        provisionTimeMs: 90_000,
        deleteTimeMs: 30_000,
        faults: { rules: [], latencyMs: 0 },
        faultsText: '',
        rateLimits: {},
        rateLimitsText: '',
      },
    });
  });

  it.each([
    ['500ms', 500],
    ['90s', 90_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
  ])('reads SIMULATOR_PROVISION_TIME=%s', (text, ms) => {
    const read = readSimulatorEnv({ SIMULATOR_PROVISION_TIME: text });
    expect(read.ok && read.config.provisionTimeMs).toBe(ms);
  });

  it('reads SIMULATOR_DELETE_TIME', () => {
    const read = readSimulatorEnv({ SIMULATOR_DELETE_TIME: '1500ms' });
    expect(read.ok && read.config.deleteTimeMs).toBe(1_500);
  });

  it('reads SIMULATOR_ACCOUNTS: name, AccessKeyId and the secret after the second colon', () => {
    const read = readSimulatorEnv({ SIMULATOR_ACCOUNTS: ' prod:pk:ps , staging:sk:s:with:colons' });
    expect(read.ok && read.config.accounts).toEqual([
      { name: 'prod', accessKeyId: 'pk', accessKeySecret: 'ps' },
      { name: 'staging', accessKeyId: 'sk', accessKeySecret: 's:with:colons' },
    ]);
  });

  it('refuses every bad SIMULATOR_ACCOUNTS entry, by place and name, never quoting a secret', () => {
    const read = readSimulatorEnv({
      SIMULATOR_ACCOUNTS: 'bad name:k1:secret-one,prod:k2:,prod:k3:secret three,other:k3:secret-four',
      SIMULATOR_ACCESS_KEY_ID: 'also-set',
    });
    expect(read.ok).toBe(false);
    const problems = read.ok ? [] : read.problems;
    expect(problems).toEqual([
      expect.stringMatching(
        /^SIMULATOR_ACCOUNTS gives every account its key pair: unset SIMULATOR_ACCESS_KEY_ID/,
      ),
      expect.stringMatching(/^SIMULATOR_ACCOUNTS entry 1 must start with an account name/),
      expect.stringMatching(/^SIMULATOR_ACCOUNTS entry 2 \(prod\) needs a secret/),
      expect.stringMatching(/^SIMULATOR_ACCOUNTS entry 3 \(prod\) names an account twice/),
      expect.stringMatching(/^SIMULATOR_ACCOUNTS entry 3 \(prod\) needs a secret/),
      expect.stringMatching(/^SIMULATOR_ACCOUNTS entry 4 \(other\) gives an AccessKeyId another account has/),
    ]);
    for (const secret of ['secret-one', 'secret three', 'secret-four'])
      expect(problems.join('\n')).not.toContain(secret);
  });

  it('refuses a bare number of seconds and a port out of range', () => {
    const read = readSimulatorEnv({
      SIMULATOR_PROVISION_TIME: '90',
      SIMULATOR_PORT: '-1',
      SIMULATOR_DELETE_TIME: 'soon',
    });
    expect(read.ok).toBe(false);
    expect(!read.ok && read.problems.map((p) => p.split(' ')[0])).toEqual([
      'SIMULATOR_PORT',
      'SIMULATOR_PROVISION_TIME',
      'SIMULATOR_DELETE_TIME',
    ]);
  });
});
