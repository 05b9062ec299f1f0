/**
 * Info lines are written together, warnings and errors at once with everything before them, and
 * nothing waiting is lost when the process exits.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { batchedOutput } from '../../src/observability/batched-output.js';
import { createLogger } from '../../src/observability/logger.js';

const run = promisify(execFile);

/** An output on fake timers, and what it wrote so far (`t.writes`). */
function output(options: Parameters<typeof batchedOutput>[1] = { maxDelayMs: 100 }) {
  vi.useFakeTimers();
  const writes: string[] = [];
  const out = batchedOutput({ write: (chunk: string) => writes.push(chunk) }, options);
  return { out, t: { writes } };
}

const line = (level: number, msg: string) => `{"level":${level},"msg":"${msg}"}\n`;

afterEach(() => {
  vi.useRealTimers();
});

describe('batched log output', () => {
  it('writes info lines together after at most the delay, in order', () => {
    const { out, t } = output();
    out.write(line(30, 'one'));
    out.write(line(20, 'two'));
    vi.advanceTimersByTime(99);
    expect(t.writes).toEqual([]);
    out.write(line(30, 'three'));
    vi.advanceTimersByTime(1);
    expect(t.writes).toEqual([line(30, 'one') + line(20, 'two') + line(30, 'three')]);
    vi.advanceTimersByTime(1_000);
    expect(t.writes).toHaveLength(1);
    out.close();
  });

  it('writes a warning or an error at once, after the lines waiting before it', () => {
    const { out, t } = output();
    out.write(line(30, 'before'));
    out.write(line(40, 'warned'));
    expect(t.writes).toEqual([line(30, 'before') + line(40, 'warned')]);
    out.write(line(50, 'failed'));
    out.write(line(60, 'fatal'));
    expect(t.writes.slice(1)).toEqual([line(50, 'failed'), line(60, 'fatal')]);
    out.close();
  });

  it('writes a line whose level it cannot read at once, and calls back a flush', () => {
    const { out, t } = output();
    out.write(line(30, 'waits'));
    out.write('{"level":"info","msg":"a level that is a word"}\n');
    expect(t.writes).toHaveLength(1);
    out.write('not json\n');
    out.write(line(130, 'a custom level'));
    expect(t.writes).toHaveLength(3);
    out.write(line(30, 'waits too'));
    let flushed = false;
    out.flush(() => {
      flushed = true;
    });
    expect([flushed, t.writes.at(-1)]).toEqual([true, line(30, 'waits too')]);
    out.close();
  });

  it('writes as soon as enough is waiting', () => {
    const { out, t } = output({ maxDelayMs: 100, maxChars: 50 });
    out.write(line(30, 'a'.repeat(20)));
    expect(t.writes).toEqual([]);
    out.write(line(30, 'b'.repeat(20)));
    expect(t.writes).toHaveLength(1);
    out.close();
  });

  it('loses nothing when the process ends: a normal exit, process.exit, an exception nobody caught', async () => {
    const logger = new URL('../../src/observability/logger.ts', import.meta.url).pathname;
    const endings = {
      'runs out of work': '',
      'calls process.exit': 'process.exit(3);',
      throws: "throw new Error('boom');",
    };
    for (const [how, ending] of Object.entries(endings)) {
      const script = `
        const { createLogger } = await import(${JSON.stringify(logger)});
        const log = createLogger({ level: 'info' });
        for (let i = 0; i < 5; i++) log.info({ i }, 'waiting line');
        setTimeout(() => {}, 5);
        ${ending}
      `;
      const result = await run(process.execPath, [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        script,
      ]).catch((err: { stdout: string }) => err);
      const lines = result.stdout.trim().split('\n').filter(Boolean);
      expect(
        lines.map((l) => (JSON.parse(l) as { i: number }).i),
        how,
      ).toEqual([0, 1, 2, 3, 4]);
    }
  });

  it('is what the logger writes to stdout with, so that a line per request costs no write of its own', () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      const log = createLogger({ level: 'info' });
      for (let i = 0; i < 10; i++) log.info({ i }, 'a request');
      expect(writes).toEqual([]);
      vi.advanceTimersByTime(100);
      expect(writes).toHaveLength(1);
      expect(writes[0]?.trim().split('\n')).toHaveLength(10);
    } finally {
      spy.mockRestore();
    }
  });
});
