/**
 * Watching VPN gateways come up, at the default POLL_INTERVAL and POLL_MAX_INTERVAL: the bot's
 * region sweeps against every gateway polled on its own every 5 s (as Terraform does), each
 * against a simulator of its own whose gateways become active 20–120 s after the create call.
 * Two cases at once: 200 gateways in 6 regions, and a single gateway (one alone in each of the
 * simulator's 8 regions, so that each region's sweeps serve one gateway: 8 samples). The lag is
 * from the moment the simulator turned a gateway active to the request's result; cloud calls are
 * the status reads (see `statusReads`).
 */
import { createVpcClient, type DescribeVpnGatewayResponse } from '../src/cloud/index.js';
import { loadConfig } from '../src/config/index.js';
import { createLogger } from '../src/observability/logger.js';
import { DUAL_TUNNEL_REGIONS } from '../src/resources/index.js';
import { startRuntime } from '../src/runtime/index.js';
import { defaultSeed, startSimulator } from '../src/sandbox/simulator/index.js';
import type { ResourceRequest } from '../src/workflow/types.js';
import { botEnv, KEY, quantile, r1, r2, sleep, subPrefix } from './support.js';

const MANY = Number(process.env.BENCH_POLLING_GATEWAYS ?? 200);
const SPREAD: [number, number] = [
  Number(process.env.BENCH_PROVISION_MIN_MS ?? 20_000),
  Number(process.env.BENCH_PROVISION_MAX_MS ?? 120_000),
];
const FIXED_EVERY_MS = 5_000;

const seed = defaultSeed();
const allRegions = seed.regions.map((r) => r.RegionId);
/** The many gateways go to the first six of the simulator's regions. */
const MANY_REGIONS = allRegions.slice(0, 6);

/** A VPC and, in a dual-tunnel region, two of its vSwitches in two zones that can host a gateway. */
function vpnValues(region: string): Record<string, string> {
  const vpcId = seed.vpcs.find((v) => v.RegionId === region)?.VpcId as string;
  if (!DUAL_TUNNEL_REGIONS.includes(region)) return { RegionId: region, VpcId: vpcId };
  const zones = seed.regions.find((r) => r.RegionId === region)?.vpnZones ?? [];
  const picked = seed.vswitches.filter((s) => s.VpcId === vpcId && zones.includes(s.ZoneId));
  const [first, second] = [picked[0], picked.find((s) => s.ZoneId !== picked[0]?.ZoneId) ?? picked[0]];
  return {
    RegionId: region,
    VpcId: vpcId,
    VSwitchId: first?.VSwitchId ?? '',
    DisasterRecoveryVSwitchId: second?.VSwitchId ?? '',
  };
}

/**
 * The status reads in a simulator's request log from `from` on: list pages and single reads of VPN
 * gateways. The quota check before each create also lists them, with PageSize 1 (it reads only the
 * count); that is the create's check, not watching, and fixed polling makes no such call.
 */
const statusReads = (requests: { action: string; params: Record<string, string> }[], from = 0) =>
  requests
    .slice(from)
    .filter(
      (r) =>
        r.action === 'DescribeVpnGateway' ||
        (r.action === 'DescribeVpnGateways' && r.params.PageSize !== '1'),
    ).length;

/** The baseline: each gateway created and then read every 5 s until active. */
async function fixedPolling(count: number, regions: string[]) {
  const sim = await startSimulator({
    ...KEY,
    provisionTimeSpreadMs: SPREAD,
    quotas: { vpnGateways: 10_000 },
  });
  const client = createVpcClient({ ...KEY, endpoint: sim.url });
  let calls = 0;
  const lags: number[] = [];
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const region = regions[i % regions.length] as string;
      const created = await client.call<{ VpnGatewayId: string }>('CreateVpnGateway', {
        ...vpnValues(region),
        Bandwidth: 10,
      });
      for (;;) {
        await sleep(FIXED_EVERY_MS);
        calls++;
        const g = await client
          .call<DescribeVpnGatewayResponse>('DescribeVpnGateway', {
            RegionId: region,
            VpnGatewayId: created.VpnGatewayId,
          })
          .catch(() => undefined);
        if (g?.Status === 'active') {
          const s = sim.state().vpnGateways.find((x) => x.VpnGatewayId === created.VpnGatewayId);
          if (s) lags.push(Date.now() - (s.CreateTime + s.provisionTimeMs));
          return;
        }
      }
    }),
  );
  await sim.close();
  return { callsPerGateway: calls / count, lags };
}

/** The bot at its default polling settings, `count` gateways spread over the regions. */
async function sweeps(apiUrl: string, name: string, count: number, regions: string[]) {
  const sim = await startSimulator({
    ...KEY,
    provisionTimeSpreadMs: SPREAD,
    quotas: { vpnGateways: 10_000 },
  });
  const bot = await startRuntime(
    loadConfig({
      ...botEnv({ apiUrl, simUrl: sim.url, prefix: subPrefix(name) }),
      VPN_GATEWAY_QUOTA: '10000',
      LOG_LEVEL: 'silent',
    }),
    {
      logger: createLogger({ level: 'silent' }),
      host: '127.0.0.1',
      slackClientOptions: { retryConfig: { retries: 0 } },
    },
  );
  try {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const r = await bot.workflow.submit({
        resource: 'vpn_gateway',
        values: { ...vpnValues(regions[i % regions.length] as string), Bandwidth: '10' },
        requester: { userId: 'U0ASKER' },
        channelId: `C0${name.toUpperCase()}`,
        locale: 'en',
      });
      if (!r.ok) throw new Error(`invalid: ${JSON.stringify(r.errors)}`);
      ids.push(r.request.id);
    }
    for (const id of ids) while (!(await bot.store.get(id))?.preflight) await sleep(20);
    const before = sim.state().requests.length;
    await Promise.all(ids.map((id) => bot.workflow.approve(id, { userId: 'U0LEAD1' })));
    let done: ResourceRequest[];
    const deadline = Date.now() + 600_000;
    for (;;) {
      done = (await Promise.all(ids.map((id) => bot.store.get(id)))) as ResourceRequest[];
      if (done.every((r) => r.state === 'succeeded' || r.state === 'failed')) break;
      if (Date.now() > deadline) throw new Error('polling: requests not finished after 10 minutes');
      await sleep(100);
    }
    const after = sim.state();
    const lags = done.map((r) => {
      const g = after.vpnGateways.find((x) => x.VpnGatewayId === r.cloud.resourceId);
      return (r.finishedAt ?? 0) - ((g?.CreateTime ?? 0) + (g?.provisionTimeMs ?? 0));
    });
    return {
      succeeded: done.filter((r) => r.state === 'succeeded').length,
      callsPerGateway: statusReads(after.requests, before) / count,
      lags,
    };
  } finally {
    await bot.close();
    await sim.close();
  }
}

export async function benchPolling(o: { apiUrl: string }) {
  const [many, manyFixed, single, singleFixed] = await Promise.all([
    sweeps(o.apiUrl, 'poll', MANY, MANY_REGIONS),
    fixedPolling(MANY, MANY_REGIONS),
    sweeps(o.apiUrl, 'single', allRegions.length, allRegions),
    fixedPolling(allRegions.length, allRegions),
  ]);
  const s = (ms: number) => r1(ms / 1000);
  return {
    settings: 'POLL_INTERVAL and POLL_MAX_INTERVAL at their defaults (10 s, 60 s)',
    provisioning_s: `${SPREAD[0] / 1000}-${SPREAD[1] / 1000}`,
    gateways: `${MANY} in ${MANY_REGIONS.length} regions`,
    succeeded: many.succeeded,
    calls_per_gateway: r2(many.callsPerGateway),
    fixed5s_calls_per_gateway: r2(manyFixed.callsPerGateway),
    calls_ratio: r2(many.callsPerGateway / manyFixed.callsPerGateway),
    calls_ratio_target: 0.1,
    lag_p50_s: s(quantile(many.lags, 0.5)),
    lag_p95_s: s(quantile(many.lags, 0.95)),
    lag_p95_target_s: 15,
    fixed5s_lag_p50_s: s(quantile(manyFixed.lags, 0.5)),
    fixed5s_lag_p95_s: s(quantile(manyFixed.lags, 0.95)),
    single_gateway_samples: `${allRegions.length} (one alone in each region)`,
    single_succeeded: single.succeeded,
    single_calls_per_gateway: r2(single.callsPerGateway),
    single_fixed5s_calls_per_gateway: r2(singleFixed.callsPerGateway),
    single_lags_s: single.lags.map(s).join(', '),
    single_fixed5s_lags_s: singleFixed.lags.map(s).join(', '),
  };
}
