/**
 * `npm run simulator`: the VPC simulator on its own, configured by SIMULATOR_PORT (9000),
 * SIMULATOR_HOST (127.0.0.1), SIMULATOR_ACCESS_KEY_ID / SIMULATOR_ACCESS_KEY_SECRET
 * (sandbox / sandbox-secret: one account) or SIMULATOR_ACCOUNTS (`name:keyId:secret,…`: several,
 * each with its own resources), SIMULATOR_PROVISION_TIME (90s), SIMULATOR_DELETE_TIME (30s: how long
 * a deleted VPN gateway stays `deleting`), SIMULATOR_FAULTS (none) and
 * SIMULATOR_RATE_LIMITS (none; `published` for Alibaba's published limits).
 * Point the bot (or any Alibaba SDK) at it with ALIBABA_CLOUD_VPC_ENDPOINT. Invalid configuration
 * exits with code 2 and every problem listed; SIGTERM / SIGINT stop it cleanly.
 */
import { readSimulatorEnv } from './env.js';
import { startSimulator } from './server.js';

const read = readSimulatorEnv(process.env);
if (!read.ok) {
  process.stderr.write(
    `Simulator configuration is invalid:\n${read.problems.map((p) => `  - ${p}`).join('\n')}\n`,
  );
  process.exit(2);
}
const { config } = read;
const simulator = await startSimulator({
  port: config.port,
  // Loopback unless asked: a container needs 0.0.0.0 to be reachable from its neighbours.
  host: config.host,
  ...(config.accounts
    ? { accounts: config.accounts }
    : { accessKeyId: config.accessKeyId, accessKeySecret: config.accessKeySecret }),
  provisionTimeMs: config.provisionTimeMs,
  deleteTimeMs: config.deleteTimeMs,
  faults: config.faults,
  rateLimits: config.rateLimits,
}).catch((err: unknown) => {
  process.stderr.write(`Simulator could not start: ${(err as Error).message}\n`);
  process.exit(1);
});
// One line, no secret: where it listens and how it behaves.
process.stdout.write(
  `${JSON.stringify({
    level: 'info',
    msg: 'VPC simulator listening',
    url: `http://${config.host}:${simulator.port}`,
    ...(config.accounts
      ? { accounts: config.accounts.map(({ name, accessKeyId }) => ({ name, accessKeyId })) }
      : { accessKeyId: config.accessKeyId }),
    provisionTimeMs: config.provisionTimeMs,
    deleteTimeMs: config.deleteTimeMs,
    faults: config.faultsText,
    rateLimits: config.rateLimitsText,
  })}\n`,
);
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void simulator.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
