/**
 * `npm run simulator`: the VPC simulator on its own, configured by SIMULATOR_PORT, SIMULATOR_HOST,
 * SIMULATOR_ACCESS_KEY_ID, SIMULATOR_ACCESS_KEY_SECRET, SIMULATOR_PROVISION_TIME and
 * SIMULATOR_FAULTS. Point the bot (or any Alibaba SDK) at it with ALIBABA_CLOUD_VPC_ENDPOINT.
 */
import { parseDuration } from '../config/duration.js';
import { type FaultConfig, parseFaults } from './faults.js';
import { startSimulator } from './server.js';

const env = process.env;
const problems: string[] = [];
const port = Number(env.SIMULATOR_PORT ?? '9000');
if (!/^\d+$/.test(env.SIMULATOR_PORT ?? '9000') || port > 65_535) {
  problems.push(`SIMULATOR_PORT must be a port number from 0 to 65535 (got "${env.SIMULATOR_PORT}")`);
}
const provisionTimeMs = parseDuration(env.SIMULATOR_PROVISION_TIME ?? '90s');
if (provisionTimeMs === undefined) {
  problems.push(
    `SIMULATOR_PROVISION_TIME must be a duration such as 90s or 2m (got "${env.SIMULATOR_PROVISION_TIME}")`,
  );
}
let faults: FaultConfig = { rules: [], latencyMs: 0 };
try {
  faults = parseFaults(env.SIMULATOR_FAULTS);
} catch (err) {
  problems.push((err as Error).message);
}
if (problems.length > 0) {
  process.stderr.write(
    `Simulator configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`,
  );
  process.exit(2);
}

const simulator = await startSimulator({
  port,
  // Loopback unless asked: a container needs 0.0.0.0 to be reachable from its neighbours.
  host: env.SIMULATOR_HOST ?? '127.0.0.1',
  accessKeyId: env.SIMULATOR_ACCESS_KEY_ID ?? 'sandbox',
  accessKeySecret: env.SIMULATOR_ACCESS_KEY_SECRET ?? 'sandbox-secret',
  provisionTimeMs: provisionTimeMs as number,
  faults,
});
process.stdout.write(
  `${JSON.stringify({ level: 'info', msg: 'VPC simulator listening', url: simulator.url, provisionTimeMs, faults: env.SIMULATOR_FAULTS ?? '' })}\n`,
);
const stop = () => {
  void simulator.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
