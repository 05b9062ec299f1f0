/**
 * What the process does with an error nobody caught, installed by `npm start` before anything
 * else runs.
 *
 * - An unhandled promise rejection is logged and the process keeps serving. A rejection is an
 *   async function that threw: its stack unwound normally, it left nothing half-done in memory
 *   that other work shares, and every state change the bot makes is one Redis transaction,
 *   applied whole or not at all. Stopping every request in flight for one failed operation would
 *   turn a bug into an outage.
 * - An uncaught exception is not safe to serve on. It comes from a callback of a socket, a timer
 *   or a stream, possibly in the middle of synchronous code that other code relies on having run
 *   to the end; Node documents the process as in an undefined state after one. Serving on could
 *   leave, say, a worker that silently stopped taking jobs while `/readyz` says ready. So it is
 *   logged as fatal and `onFatal` runs: the process shuts down as on SIGTERM, bounded in time, and
 *   exits with code 1 for its supervisor to restart. Exiting loses nothing: requests, jobs and the
 *   audit trail are in Redis, and the job of a worker that died is taken over by another.
 */
import type { Logger } from '../observability/logger.js';

export function installProcessGuards(logger: Logger, onFatal: (err: unknown) => void): () => void {
  const onRejection = (reason: unknown) => {
    logger.error({ err: reason }, 'unhandled promise rejection; still serving');
  };
  let fatal = false;
  const onException = (err: Error, origin: string) => {
    logger.fatal({ err, origin }, 'uncaught exception; shutting down for a restart');
    // A second one while shutting down must not start another shutdown.
    if (fatal) return;
    fatal = true;
    onFatal(err);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
