/**
 * `npm start`: read the configuration (stopping with every problem listed if it is wrong), make
 * sure Redis answers (the playground may start its own), start the bot in the roles asked for, and
 * shut down gracefully on SIGTERM/SIGINT: stop taking work, let the running step finish, close
 * connections, exit.
 */
import { ConfigError, loadConfig, secretsOf } from './config/index.js';
import { createLogger } from './observability/logger.js';
import { type Playground, startPlayground } from './playground/server.js';
import { startRuntime } from './runtime/index.js';
import { RedisUnavailableError, redisForStart } from './runtime/redis-at-start.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  // Someone trying the playground reads the logs; production ships them as JSON.
  const format = process.env.LOG_FORMAT || config.slack.mode !== 'playground' ? config.log.format : 'pretty';
  const logger = createLogger({
    level: config.log.level,
    format,
    secrets: secretsOf(config),
  });
  let redis: Awaited<ReturnType<typeof redisForStart>>;
  try {
    redis = await redisForStart(config, logger);
  } catch (err) {
    if (err instanceof RedisUnavailableError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  config = { ...config, redis: { ...config.redis, url: redis.url } };
  let playground: Playground | undefined;
  if (config.slack.mode === 'playground') {
    // Short enough to watch a gateway come up, unless asked otherwise.
    const sandbox = process.env.SIMULATOR_PROVISION_TIME ? config.sandbox : { provisionTimeMs: 20_000 };
    playground = await startPlayground({ ...config, sandbox }, logger);
  }
  const runtime = await startRuntime(playground?.config ?? config, {
    logger,
    ...(playground ? { extraRoutes: playground.routes } : {}),
  });
  if (playground) {
    playground.attach(runtime.http.url);
    logger.info(
      { url: `http://localhost:${runtime.http.port}` },
      `playground ready: open http://localhost:${runtime.http.port} (set SLACK_BOT_TOKEN to use a real workspace)`,
    );
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing running steps');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    await runtime.close();
    await playground?.close();
    await redis.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`gateway bot failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
