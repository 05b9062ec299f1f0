/**
 * A logger whose lines a test reads: the bot's own logger (its format, its scrubbing of secrets),
 * each JSON line kept as written.
 */
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger } from '../../src/observability/logger.js';

export interface CapturedLogger {
  logger: Logger;
  /** Every line written so far, oldest first. */
  lines: string[];
  /** All of them as one text, to look for a word or a secret in. */
  text(): string;
  /** Every line so far, parsed. */
  records(): Record<string, unknown>[];
}

export function capturedLogger(level = 'trace'): CapturedLogger {
  const lines: string[] = [];
  const logger = createLogger({
    level,
    format: 'json',
    destination: new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  });
  return {
    logger,
    lines,
    text: () => lines.join(''),
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
