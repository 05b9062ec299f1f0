/**
 * `npm start`: read the configuration (stopping with every problem listed if it is wrong), make
 * sure Redis answers (the playground may start its own), start the bot in the roles asked for, and
 * shut down gracefully on SIGTERM/SIGINT: stop taking work, let the running step finish, close
 * connections, exit once every line written is delivered. SIGHUP reads the approval policy file
 * again. Errors nobody caught are handled by the process guards (runtime/process-guard.ts): a
 * rejection is logged, an exception ends the process.
 */
import { type Config, ConfigError, loadConfig, secretsOf } from './config/index.js';
import { exitWhenWritten } from './observability/exit-when-written.js';
import { createLogger } from './observability/logger.js';
import { loadPolicyFile, type Policy, PolicyError } from './policy/index.js';
import { type Runtime, startRuntime } from './runtime/index.js';
import { installProcessGuards } from './runtime/process-guard.js';
import { RedisUnavailableError, redisForStart } from './runtime/redis-at-start.js';
import { PLAYGROUND_POLICY_FILE, type Playground, startPlayground } from './runtime/sandbox.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return exitWhenWritten(2);
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
  // A policy file is configuration too: an invalid one stops the bot before it connects anywhere.
  // The playground shows its example policy unless told to use another.
  const policyFile =
    config.approval.policyFile ?? (config.slack.mode === 'playground' ? PLAYGROUND_POLICY_FILE : undefined);
  let policy: Policy | undefined;
  try {
    policy = policyFile ? await loadPolicyFile(policyFile) : undefined;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return exitWhenWritten(2);
    }
    throw err;
  }
  let redis: Awaited<ReturnType<typeof redisForStart>>;
  try {
    redis = await redisForStart(config, logger);
  } catch (err) {
    if (err instanceof RedisUnavailableError) {
      process.stderr.write(`${err.message}\n`);
      return exitWhenWritten(1);
    }
    throw err;
  }
  // The playground may have started a Redis of its own: the bot connects to that one.
  if (config.redis.topology.mode === 'single' && redis.url !== config.redis.url)
    config = {
      ...config,
      redis: { ...config.redis, url: redis.url, topology: { mode: 'single', url: redis.url } },
    };
  let playground: Playground | undefined;
  let runtime: Runtime | undefined;
  let stopping = false;
  const stop = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down: finishing running steps');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    await runtime?.close();
    await playground?.close();
    await redis.close();
    logger.info('stopped');
    // The lines the logger holds back go to stdout now, and the process ends once they are written.
    logger.flush();
    await exitWhenWritten(exitCode);
  };
  installProcessGuards(logger, () => void stop('uncaught exception', 1).catch(() => process.exit(1)));
  // Listening before the bot starts, so that a SIGHUP during start-up never ends the process.
  // Each process reads its own copy: signal every bot process after editing the file.
  process.on('SIGHUP', () => {
    const inForce = runtime?.policy;
    if (!inForce?.file) {
      logger.warn('SIGHUP: no POLICY_FILE to read again (or the bot is still starting)');
      return;
    }
    inForce.reload().then(
      (now) =>
        logger.info(
          { file: inForce.file, rules: now?.rules.map((r) => r.name) ?? [] },
          'approval policy reloaded; clicks from now on are judged by it',
        ),
      (err: unknown) =>
        logger.error(
          {
            file: inForce.file,
            problems: err instanceof PolicyError ? err.problems : [(err as Error).message],
          },
          'approval policy NOT reloaded: the file has problems; the previous policy stays in force',
        ),
    );
  });
  if (config.slack.mode === 'playground') {
    // Short enough to watch a gateway come up, unless asked otherwise.
    const sandbox = process.env.SIMULATOR_PROVISION_TIME
      ? config.sandbox
      : { ...config.sandbox, provisionTimeMs: 20_000 };
    playground = await startPlayground({ ...config, sandbox, redis: playgroundRedis(config) }, logger);
  }
  runtime = await startRuntime(playground?.config ?? config, {
    logger,
    ...(policy ? { policy } : {}),
    ...(policyFile ? { policyFile } : {}),
    ...(playground ? { extraRoutes: playground.routes } : {}),
  });
  if (playground) {
    playground.attach(runtime.http.url, runtime.simulator);
    const { prefix } = playground.config.redis;
    logger.info(
      { url: `http://localhost:${runtime.http.port}`, prefix },
      `playground ready: open http://localhost:${runtime.http.port} (set SLACK_BOT_TOKEN to use a real workspace)`,
    );
    logger.info(
      { prefix },
      `playground: this start's requests are kept under REDIS_PREFIX=${prefix}, apart from earlier starts' (its simulated account lives only as long as it runs); read them with REDIS_PREFIX='${prefix}' npm run audit -- --since 1h`,
    );
  }
  if (policyFile && !config.approval.policyFile) {
    logger.info(
      { file: policyFile, rules: policy?.rules.map((r) => r.name) },
      'playground: the example approval policy is in force (a VPN gateway of 100 Mbit/s or more needs both team leads)',
    );
  }
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  process.on('SIGINT', () => void stop('SIGINT', 0));
}

/**
 * The playground's Redis settings: a key prefix of this start's own unless REDIS_PREFIX is set. Its
 * simulated account lives in memory, so requests kept from an earlier start would name gateways the
 * account no longer has; a fresh prefix tells each start's story alone, and keeps the earlier ones
 * readable with `npm run audit`.
 */
function playgroundRedis(config: Config): Config['redis'] {
  if (process.env.REDIS_PREFIX) return config.redis;
  // 20261207T205512123: the start's time to the millisecond.
  const started = new Date().toISOString().replace(/[-:.Z]/g, '');
  return { ...config.redis, prefix: `{gw-playground-${started}}` };
}

main().catch((err: unknown) => {
  process.stderr.write(`gateway bot failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  return exitWhenWritten(1);
});
