/**
 * The health sweep at scale: 2,000 IPsec connections the bot made, in 10 regions, followed by the
 * built bot and a worker, each in a process of its own, at TUNNEL_HEALTH_INTERVAL=10s against a
 * simulator enforcing Alibaba's published rate limits (the bot's own pacing at its defaults).
 * Tunnels are taken down on the on-premises side one after another; each is announced in its
 * connection's thread (counted in the fake Slack, once each), and measured from the moment it went
 * down to its message's arrival in the fake Slack, split at the write that confirmed it. Also
 * counted: listing calls per sweep against pages plus one per region, how long a sweep lists,
 * throttling answers, and each process's resident set.
 *
 * The connections are made straight in the simulated account and their records written through
 * the store, as the bot leaves them after CONNECTION_WATCH: 2,000 creates through the approval flow
 * would take half an hour at Alibaba's 60 creates a minute and measure nothing of the sweep. They
 * are dated two hours back, as a deployment's connections mostly are.
 */
import { Redis } from 'ioredis';
import { createVpcClient } from '../src/cloud/index.js';
import type { FakeSlack } from '../src/sandbox/fake-slack/index.js';
import { defaultSeed, type SimulatorSeed, startSimulator } from '../src/sandbox/simulator/index.js';
import { fakeId } from '../src/sandbox/simulator/seed.js';
import { RequestStore } from '../src/workflow/store.js';
import type { ResourceRequest } from '../src/workflow/types.js';
import {
  botEnv,
  KEY,
  memoryOf,
  processGroup,
  quantile,
  REDIS_URL,
  r1,
  sleep,
  subPrefix,
  TOKEN,
} from './support.js';

const CONNECTIONS = Number(process.env.BENCH_HEALTH_CONNECTIONS ?? 2_000);
const DOWNS = Number(process.env.BENCH_HEALTH_DOWNS ?? 20);
const INTERVAL_S = 10;
const SINGLE_TUNNEL = 'me-east-1';
/** Seven of the seed's regions that can host a dual-tunnel gateway in two zones, the single-tunnel one, and two more. */
const REGIONS = [
  'cn-hangzhou',
  'cn-shanghai',
  'cn-beijing',
  'cn-shenzhen',
  'ap-southeast-1',
  'eu-central-1',
  SINGLE_TUNNEL,
  'ap-northeast-1',
  'ap-northeast-2',
  'eu-west-1',
];

/** The default seed plus regions copied from Singapore under other ids (Tokyo, Seoul, London). */
function tenRegionSeed(): SimulatorSeed {
  const seed = defaultSeed();
  for (const id of ['ap-northeast-1', 'ap-northeast-2', 'eu-west-1']) {
    const from = 'ap-southeast-1';
    const zone = (z: string) => z.replace(from, id);
    const model = seed.regions.find((r) => r.RegionId === from);
    if (!model) throw new Error('no Singapore in the seed');
    seed.regions.push({
      ...model,
      RegionId: id,
      zones: model.zones.map(zone),
      vpnZones: model.vpnZones.map(zone),
    });
    const vpcIds = new Map<string, string>();
    seed.vpcs
      .filter((v) => v.RegionId === from)
      .forEach((v, i) => {
        const VpcId = fakeId('vpc', i, id);
        vpcIds.set(v.VpcId, VpcId);
        seed.vpcs.push({ ...v, VpcId, RegionId: id });
      });
    const switches = seed.vswitches.filter((s) => s.RegionId === from);
    for (const [i, s] of switches.entries())
      seed.vswitches.push({
        ...s,
        VSwitchId: fakeId('vsw', i, id),
        VpcId: vpcIds.get(s.VpcId) ?? s.VpcId,
        RegionId: id,
        ZoneId: zone(s.ZoneId),
      });
  }
  return seed;
}

/** A VPN gateway's parameters in a region: a VPC and, where dual-tunnel, two vSwitches in two zones that can host it. */
function gatewayParams(seed: SimulatorSeed, regionId: string): Record<string, string | number> {
  const region = seed.regions.find((r) => r.RegionId === regionId);
  const vpc = seed.vpcs.find((v) => v.RegionId === regionId && !v.IsDefault);
  if (!region || !vpc) throw new Error(`no VPC in ${regionId}`);
  if (regionId === SINGLE_TUNNEL) return { RegionId: regionId, VpcId: vpc.VpcId, Bandwidth: 10 };
  const switches = seed.vswitches.filter((s) => s.VpcId === vpc.VpcId && region.vpnZones.includes(s.ZoneId));
  const second = switches.find((s) => s.ZoneId !== switches[0]?.ZoneId);
  if (!switches[0] || !second) throw new Error(`no two zones in ${regionId}`);
  return {
    RegionId: regionId,
    VpcId: vpc.VpcId,
    Bandwidth: 10,
    VSwitchId: switches[0].VSwitchId,
    DisasterRecoveryVSwitchId: second.VSwitchId,
  };
}

/** A connection's record as the bot leaves it once CONNECTION_WATCH has ended with its tunnels up. */
function connectionRecord(
  n: number,
  at: number,
  c: {
    regionId: string;
    gateway: string;
    cgw: string;
    id: string;
    remote: string;
    channel: string;
    messageTs: string;
  },
): ResourceRequest {
  const dual = c.regionId !== SINGLE_TUNNEL;
  const cgwParams = dual
    ? {
        'TunnelOptionsSpecification.1.CustomerGatewayId': c.cgw,
        'TunnelOptionsSpecification.2.CustomerGatewayId': c.cgw,
      }
    : { CustomerGatewayId: c.cgw };
  const up = `${c.cgw} · ipsec_sa_established`;
  return {
    id: `bench-health-${n}`,
    operation: 'create',
    resource: 'vpn_connection',
    account: 'default',
    params: {
      RegionId: c.regionId,
      VpnGatewayId: c.gateway,
      LocalSubnet: '10.0.0.0/16',
      RemoteSubnet: c.remote,
      ...cgwParams,
    },
    paramsHash: 'bench',
    requester: { userId: 'U0ASKER' },
    channelId: c.channel,
    messageTs: c.messageTs,
    locale: 'en',
    state: 'succeeded',
    version: 0,
    createdAt: at,
    updatedAt: at,
    expiresAt: at + 86_400_000,
    approvals: [],
    cloud: {
      resourceId: c.id,
      facts: dual
        ? { Tunnel1: up, Tunnel1Role: 'master', Tunnel2: up, Tunnel2Role: 'slave' }
        : { Tunnel1: up },
      requestIds: [],
    },
    finishedAt: at,
    settle: { until: at, outcome: 'settled', at },
  } as unknown as ResourceRequest;
}

export async function benchHealth(o: { apiUrl: string; slack: FakeSlack }) {
  const prefix = subPrefix('health');
  const seed = tenRegionSeed();
  const perRegion = Math.ceil(CONNECTIONS / REGIONS.length);
  const sim = await startSimulator({
    ...KEY,
    seed,
    provisionTimeMs: 0,
    quotas: { vpnGateways: 100, customerGateways: 100_000, vpnConnectionsPerGateway: 100_000 },
  });
  const listings: number[] = [];
  const vpc = createVpcClient({ ...KEY, endpoint: sim.url, timeoutMs: 10_000 });
  const redis = new Redis(REDIS_URL);
  const store = new RequestStore({ redis, prefix });
  const group = processGroup();
  try {
    // The account: a gateway per region, a customer gateway and a connection per record.
    const made: { regionId: string; gateway: string; cgw: string; id: string; remote: string }[] = [];
    let ip = 0;
    for (const regionId of REGIONS) {
      const { VpnGatewayId } = await vpc.call<{ VpnGatewayId: string }>(
        'CreateVpnGateway',
        gatewayParams(seed, regionId),
      );
      await Promise.all(
        Array.from({ length: 10 }, async (_, lane) => {
          for (let i = lane; i < perRegion && made.length < CONNECTIONS; i += 10) {
            const n = ++ip;
            const { CustomerGatewayId } = await vpc.call<{ CustomerGatewayId: string }>(
              'CreateCustomerGateway',
              {
                RegionId: regionId,
                IpAddress: `47.${100 + Math.floor(n / 65_536)}.${Math.floor(n / 256) % 256}.${n % 256}`,
              },
            );
            sim.configurePeer({ customerGatewayId: CustomerGatewayId });
            const remote = `172.${16 + (n % 16)}.${Math.floor(n / 16) % 256}.0/24`;
            const tunnels =
              regionId === SINGLE_TUNNEL
                ? { CustomerGatewayId }
                : {
                    'TunnelOptionsSpecification.1.CustomerGatewayId': CustomerGatewayId,
                    'TunnelOptionsSpecification.1.Role': 'master',
                    'TunnelOptionsSpecification.2.CustomerGatewayId': CustomerGatewayId,
                    'TunnelOptionsSpecification.2.Role': 'slave',
                  };
            const { VpnConnectionId } = await vpc.call<{ VpnConnectionId: string }>('CreateVpnConnection', {
              RegionId: regionId,
              VpnGatewayId,
              LocalSubnet: '10.0.0.0/16',
              RemoteSubnet: remote,
              ...tunnels,
            });
            made.push({
              regionId,
              gateway: VpnGatewayId,
              cgw: CustomerGatewayId,
              id: VpnConnectionId,
              remote,
            });
          }
        }),
      );
      process.stderr.write(`bench: health: ${made.length} connections made\n`);
    }
    // The connections to take down, spread over the regions, each in a channel of its own with its request message.
    const step = Math.floor(made.length / DOWNS);
    const watched = Array.from({ length: DOWNS }, (_, i) => i * step);
    // Made two hours ago, as most connections of a deployment were: what they said then was said.
    const at = Date.now() - 2 * 3_600_000;
    for (const [n, c] of made.entries()) {
      const channel = watched.includes(n) ? `C0HEALTH${n}` : 'C0HEALTH';
      let messageTs = `${Math.floor(at / 1000)}.${String(n).padStart(6, '0')}`;
      if (watched.includes(n)) {
        const posted = await fetch(`${o.apiUrl}chat.postMessage`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ channel, text: `request for ${c.id}` }),
        });
        messageTs = ((await posted.json()) as { ts: string }).ts;
      }
      await store.create(connectionRecord(n, at, { ...c, channel, messageTs }), 'bench');
    }
    // From here on, Alibaba's published limits hold; the bot paces at its own defaults.
    sim.setRateLimits('published');
    const since = Date.now();
    const env = {
      ...botEnv({ apiUrl: o.apiUrl, simUrl: sim.url, prefix }),
      TUNNEL_HEALTH_INTERVAL: `${INTERVAL_S}s`,
    };
    delete (env as Record<string, string>).VPC_RATE_LIMITS;
    const bot = await group.bot({ ...env, ROLE: 'bot' });
    const worker = await group.bot({ ...env, ROLE: 'worker' });
    let peakBot = 0;
    let peakWorker = 0;
    const sampling = setInterval(() => {
      peakBot = Math.max(peakBot, memoryOf(bot.pid).rss);
      peakWorker = Math.max(peakWorker, memoryOf(worker.pid).rss);
    }, 200);
    // The first sweep records every connection's tunnels (2,000 writes); what is measured is the
    // steady state after it: wait until every record holds its tunnels, and one interval more.
    const warm = Date.now();
    for (let left = made.length; left > 0 && Date.now() - warm < 180_000; await sleep(1_000)) {
      const records = await store.getMany(made.map((_, n) => `bench-health-${n}`));
      left = records.filter((r) => r.health === undefined).length;
    }
    const warmUpS = r1((Date.now() - warm) / 1000);
    await sleep(INTERVAL_S * 1000);
    const downAt = new Map<number, number>();
    for (const n of watched) {
      const c = made[n];
      if (!c) continue;
      sim.setTunnel({ vpnConnectionId: c.id, tunnel: 1, up: false });
      downAt.set(n, Date.now());
      await sleep(1_300);
    }
    const announced = (n: number) =>
      o.slack
        .messages(`C0HEALTH${n}`)
        .filter((m) => m.text.includes('is down since') && m.text.includes(made[n]?.id ?? '-'));
    // Each message is timed by its arrival in the fake Slack (its ts), not by when this loop finds
    // it: the first tunnels are announced while the last are still being taken down.
    const seenAt = new Map<number, number>();
    for (const until = Date.now() + 90_000; seenAt.size < downAt.size && Date.now() < until; ) {
      for (const n of downAt.keys()) {
        const first = announced(n)[0];
        if (first && !seenAt.has(n)) seenAt.set(n, Number(first.ts) * 1000);
      }
      await sleep(100);
    }
    // Two more sweeps: nothing is said twice.
    await sleep(2 * INTERVAL_S * 1000);
    clearInterval(sampling);
    const latencies = [...seenAt.entries()].map(([n, t]) => (t - (downAt.get(n) ?? t)) / 1000);
    // Where the time goes: to the write that confirmed the change (its record's last write), and
    // from it to the message.
    const confirmed = new Map<number, number>();
    for (const n of seenAt.keys()) {
      const record = await store.get(`bench-health-${n}`);
      if (record?.health?.seq) confirmed.set(n, record.updatedAt);
    }
    const toConfirmed = [...confirmed].map(([n, t]) => (t - (downAt.get(n) ?? t)) / 1000);
    const toPosted = [...confirmed].map(([n, t]) => ((seenAt.get(n) ?? t) - t) / 1000);
    const counts = [...downAt.keys()].map((n) => announced(n).length);
    const calls = sim.requests().filter((r) => r.action === 'DescribeVpnConnections' && r.at >= since);
    listings.push(...calls.map((r) => r.at));
    const sweeps = sweepsOf(listings);
    const pages = REGIONS.length * Math.ceil(perRegion / 50);
    const mb = (bytes: number) => r1(bytes / 2 ** 20);
    return {
      connections: made.length,
      regions: REGIONS.length,
      interval_s: INTERVAL_S,
      first_sweeps_recorded_all_s: warmUpS,
      tunnels_taken_down: downAt.size,
      announced: seenAt.size,
      announced_p50_s: r1(quantile(latencies, 0.5)),
      announced_p95_s: r1(quantile(latencies, 0.95)),
      announced_max_s: r1(Math.max(...latencies)),
      announced_p95_target_s: 25,
      confirmed_p50_s: r1(quantile(toConfirmed, 0.5)),
      confirmed_p95_s: r1(quantile(toConfirmed, 0.95)),
      confirmed_to_posted_max_s: r1(Math.max(...toPosted)),
      messages_per_down_min_max: `${Math.min(...counts)}, ${Math.max(...counts)}`,
      drift_messages: o.slack.messages('C0HEALTH').length,
      sweeps_seen: sweeps.length,
      sweep_duration_max_s: r1(Math.max(...sweeps.map((w) => w.durationMs)) / 1000),
      listing_calls_per_sweep_max: Math.max(...sweeps.map((w) => w.calls)),
      listing_calls_per_sweep_bound: pages + REGIONS.length,
      throttled: sim.throttles().reduce((a, t) => a + t.count, 0),
      bot_peak_rss_mb: mb(peakBot),
      worker_peak_rss_mb: mb(peakWorker),
      rss_target_mb: 200,
    };
  } finally {
    await group.stopAll();
    await sim.close();
    redis.disconnect();
  }
}

/** Listing calls grouped into sweeps: a pause of more than a third of the interval starts the next. */
function sweepsOf(times: readonly number[]): { calls: number; durationMs: number }[] {
  const sweeps: { calls: number; first: number; last: number }[] = [];
  for (const t of [...times].sort((a, b) => a - b)) {
    const current = sweeps.at(-1);
    if (!current || t - current.last > (INTERVAL_S * 1000) / 3) sweeps.push({ calls: 1, first: t, last: t });
    else {
      current.calls++;
      current.last = t;
    }
  }
  return sweeps.map((w) => ({ calls: w.calls, durationMs: w.last - w.first }));
}
