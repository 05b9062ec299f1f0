import { describe, expect, it } from 'vitest';
import { chosenSections } from '../../bench/run.js';
import { cpuMsOf, median, processGroup, quantile } from '../../bench/support.js';

describe('npm run bench', () => {
  it('runs the sections named as arguments, or in BENCH_SECTIONS, or all, in its own order', () => {
    expect(chosenSections(['polling', 'ack'], undefined)).toEqual(['ack', 'polling']);
    expect(chosenSections([], 'memory,policy')).toEqual(['memory', 'policy']);
    expect(chosenSections(['ack,pipeline'], 'memory')).toEqual(['ack', 'pipeline']);
    expect(chosenSections(['burst', 'ack'], undefined)).toEqual(['ack', 'burst']);
    expect(chosenSections([], undefined)).toEqual([
      'ack',
      'burst',
      'pipeline',
      'memory',
      'polling',
      'policy',
      'locks',
      'health',
    ]);
  });

  it('refuses a section it does not have, naming the ones it has', () => {
    expect(() => chosenSections(['ack', 'lag'], undefined)).toThrow(
      'unknown bench section "lag"; the sections are ack, burst, pipeline, memory, polling, policy, locks, health',
    );
  });

  it('reads a process CPU time from /proc, growing as the process works', () => {
    const before = cpuMsOf(process.pid);
    const node = process.cpuUsage();
    // Spin until Node's own account says 300 ms of CPU were spent, however busy the machine is.
    while ((process.cpuUsage(node).user + process.cpuUsage(node).system) / 1000 < 300);
    const spent = cpuMsOf(process.pid) - before;
    // Counted in clock ticks (10 ms), and other threads of this process count too.
    expect(spent).toBeGreaterThanOrEqual(280);
    expect(spent).toBeLessThan(3_000);
  });

  it('stops every process a section started when a later start fails', async () => {
    const group = processGroup();
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    // A server that says its port and keeps running until told to stop.
    const server = await group.start(
      ['-e', 'console.log(JSON.stringify({ port: 1 })); setInterval(() => {}, 1000)'],
      {},
      /"port":(\d+)/,
    );
    expect(alive(server.pid)).toBe(true);
    // One that exits before its start line.
    await expect(group.start(['-e', 'process.exit(3)'], {}, /"port":(\d+)/)).rejects.toThrow(
      'process exited',
    );
    await group.stopAll();
    expect(alive(server.pid)).toBe(false);
  });

  it('takes percentiles from the sorted values', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(quantile(values, 0.99)).toBe(100);
    expect(quantile(values, 0.5)).toBe(51);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
