/**
 * A log output that writes lines together instead of one write per line.
 *
 * Each write to stdout is a system call, and on a busy bot a log line per refused click made them
 * one of its larger costs. Lines below `warn` are kept for at most `maxDelayMs` (or until
 * `maxChars` are waiting) and written in one call; a warning, an error or a line whose level
 * cannot be read is written at once with everything before it, so the lines that explain a
 * failure are never held back, and whatever waits is written when the process exits (a normal
 * exit, an exception that ends it, `process.exit`, SIGTERM through the bot's shutdown). A process
 * that dies without exiting (SIGKILL, a V8 out-of-memory abort) can lose its last `maxDelayMs` of
 * info lines.
 */
import type { DestinationStream } from 'pino';

export interface BatchedOutputOptions {
  /** @defaultValue 100 */
  maxDelayMs?: number;
  /** @defaultValue 16,384 characters */
  maxChars?: number;
}

/** pino's numeric levels: 40 is warn; pino writes the level first (`{"level":30,…`). */
const URGENT_LEVEL = 40;
const LEVEL = /^\{"level":(\d+)[,}]/;

/** A line whose level cannot be read is written at once, as if it were a warning. */
function mayWait(line: string): boolean {
  const level = LEVEL.exec(line)?.[1];
  return level !== undefined && Number(level) < URGENT_LEVEL;
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
): DestinationStream & { flush(done?: (err?: Error) => void): void; flushSync(): void; close(): void } {
  const maxDelayMs = o.maxDelayMs ?? 100;
  const maxChars = o.maxChars ?? 16 * 1024;
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
  // At exit, a write to a file or a terminal is complete (synchronous on POSIX). A pipe's write is
  // asynchronous there: what the pipe does not take at once can be lost, so the bot's own exits
  // flush the logger and wait for stdout first (main.ts, exitWhenWritten).
  flushOnExit(flush);
  return {
    write(line: string) {
      waiting += line;
      if (waiting.length >= maxChars || !mayWait(line)) flush();
      else if (!timer) {
        timer = setTimeout(flush, maxDelayMs);
        timer.unref();
      }
    },
    // pino's logger.flush(cb) calls this with a callback.
    flush(done) {
      flush();
      done?.();
    },
    flushSync: flush,
    close() {
      flush();
      flushAtExit.delete(flush);
    },
  };
}
