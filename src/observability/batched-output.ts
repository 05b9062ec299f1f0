/**
 * A log output that writes lines together instead of one write per line.
 *
 * Each write to stdout is a system call, and on a busy bot a log line per refused click or option
 * load made them one of its larger costs. Lines below `warn` are kept for at most
 * `maxDelayMs` (or until `maxBytes` are waiting) and written in one call; a warning or an error
 * is written at once with everything before it, so the lines that explain a failure are never
 * held back, and whatever waits is written when the process exits (a normal exit, an error that
 * ends it, `process.exit`). Only a process killed outright (SIGKILL) can lose the last
 * `maxDelayMs` of info lines.
 */
import type { DestinationStream } from 'pino';

export interface BatchedOutputOptions {
  /** @defaultValue 100 */
  maxDelayMs?: number;
  /** @defaultValue 16 kB */
  maxBytes?: number;
}

/** pino's numeric levels: 40 is warn; pino writes the level first (`{"level":30,…`). */
const URGENT_LEVEL = 40;
const LEVEL_AT = '{"level":'.length;

function levelOf(line: string): number {
  return Number(line.slice(LEVEL_AT, LEVEL_AT + 2));
}

/** Every open output's flush, run once when the process exits (one listener for all of them). */
const flushAtExit = new Set<() => void>();
let exitHookInstalled = false;

function flushOnExit(flush: () => void): void {
  flushAtExit.add(flush);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const f of flushAtExit) f();
  });
}

export function batchedOutput(
  target: { write(chunk: string): unknown },
  o: BatchedOutputOptions = {},
): DestinationStream & { flush(): void; close(): void } {
  const maxDelayMs = o.maxDelayMs ?? 100;
  const maxBytes = o.maxBytes ?? 16 * 1024;
  let waiting = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (waiting === '') return;
    const out = waiting;
    waiting = '';
    target.write(out);
  };
  // process.stdout is synchronous for files, pipes and terminals on Linux: an exit's write is complete.
  flushOnExit(flush);
  return {
    write(line: string) {
      waiting += line;
      if (waiting.length >= maxBytes || levelOf(line) >= URGENT_LEVEL) flush();
      else if (!timer) {
        timer = setTimeout(flush, maxDelayMs);
        timer.unref();
      }
    },
    flush,
    close() {
      flush();
      flushAtExit.delete(flush);
    },
  };
}
