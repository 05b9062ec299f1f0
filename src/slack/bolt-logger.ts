/**
 * Bolt's and the Web API client's log lines, written through the bot's logger (component `bolt`),
 * so that they carry the same format, level and redaction as every other line.
 */
import { LogLevel } from '@slack/bolt';
import type { Logger } from '../observability/logger.js';

export function boltLogger(logger: Logger) {
  const child = logger.child({ component: 'bolt' });
  return {
    debug: (...msg: unknown[]) => child.debug(msg.map(String).join(' ')),
    info: (...msg: unknown[]) => child.info(msg.map(String).join(' ')),
    warn: (...msg: unknown[]) => child.warn(msg.map(String).join(' ')),
    error: (...msg: unknown[]) => child.error(msg.map(String).join(' ')),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

/**
 * The same, with nothing below `warn`: for a client whose calls carry a secret. The Web API client
 * logs request bodies at debug level, and a key must never reach a log line, at any log level.
 */
export function quietBoltLogger(logger: Logger) {
  return { ...boltLogger(logger), debug: () => {}, info: () => {} };
}
