/**
 * Policy evaluation time per request, the figure behind "under 1 ms at p99": the example policy
 * applied to a mix of requests (creates and deletes, every resource type, denied and approved,
 * one with a condition that fails at evaluation). Part of `npm run bench`; alone:
 *
 *   npx tsx bench/policy.ts
 */
import { pathToFileURL } from 'node:url';
import { type BaseRule, evaluatePolicy, loadPolicyFile, type RequestFacts } from '../src/policy/index.js';

const BASE: BaseRule = {
  approvers: ['U0LEAD1', 'U0LEAD2'],
  usergroup: 'S0APPROVERS',
  requiredApprovals: 1,
  allowSelfApproval: false,
};

const vpn = {
  RegionId: 'cn-hangzhou',
  VpcId: 'vpc-bp1example0000000001',
  VSwitchId: 'vsw-bp1example0000000001',
  Name: 'edge-gw',
  Bandwidth: 200,
  InstanceChargeType: 'POSTPAY',
  AutoPay: false,
  EnableIpsec: true,
  EnableSsl: false,
  VpnType: 'Normal',
  NetworkType: 'public',
};

const REQUESTS: RequestFacts[] = [
  { operation: 'create', resource: 'vpn_gateway', params: vpn, channel: 'C0NETOPS', requester: 'U0ASKER' },
  {
    operation: 'create',
    resource: 'vpn_gateway',
    params: { ...vpn, InstanceChargeType: 'PREPAY', Period: 12, Bandwidth: 1000 },
    channel: 'C0NETOPS',
    requester: 'U0ASKER',
  },
  {
    operation: 'create',
    resource: 'vpn_gateway',
    params: { ...vpn, RegionId: 'cn-beijing' },
    channel: 'C0NETOPS',
    requester: 'U0ASKER',
  },
  {
    operation: 'create',
    resource: 'customer_gateway',
    params: { RegionId: 'cn-shanghai', IpAddress: '203.0.113.7', Name: 'office' },
    channel: 'C0NETOPS',
    requester: 'U0ASKER',
  },
  {
    operation: 'delete',
    resource: 'vpn_gateway',
    params: { RegionId: 'cn-hangzhou', VpnGatewayId: 'vpn-bp1example000000001' },
    channel: 'C0NETOPS',
    requester: 'U0ASKER',
  },
  // Bandwidth of the wrong type: the gigabit rule's condition fails and is applied, to be safe.
  {
    operation: 'create',
    resource: 'vpn_gateway',
    params: { ...vpn, Bandwidth: 'lots' },
    channel: 'C0NETOPS',
    requester: 'U0ASKER',
  },
];

export interface PolicyBenchResult {
  rules: number;
  evaluations: number;
  /** Per request, in milliseconds. */
  eval_p50_ms: number;
  eval_p99_ms: number;
  eval_max_ms: number;
  /** Reading and compiling the file once, as at start. */
  load_ms: number;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const r4 = (n: number) => Math.round(n * 10_000) / 10_000;

export async function benchPolicy(
  file = 'policy.example.yml',
  evaluations = 50_000,
): Promise<PolicyBenchResult> {
  const loadStart = process.hrtime.bigint();
  const policy = await loadPolicyFile(file);
  const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;

  // Warm up so the figure is the steady state a running bot sees, not the JIT's first pass.
  for (let i = 0; i < 5_000; i++) evaluatePolicy(policy, BASE, REQUESTS[i % REQUESTS.length] as RequestFacts);

  const times = new Float64Array(evaluations);
  let outcomes = 0;
  for (let i = 0; i < evaluations; i++) {
    const facts = REQUESTS[i % REQUESTS.length] as RequestFacts;
    const start = process.hrtime.bigint();
    const decision = evaluatePolicy(policy, BASE, facts);
    times[i] = Number(process.hrtime.bigint() - start) / 1e6;
    // Keeps the result alive, so the call cannot be optimised away.
    outcomes += decision.outcome === 'denied' ? 1 : 0;
  }
  if (outcomes === 0) throw new Error('the benchmark mix lost its denied request');
  const sorted = [...times].sort((a, b) => a - b);
  return {
    rules: policy.rules.length,
    evaluations,
    eval_p50_ms: r4(quantile(sorted, 0.5)),
    eval_p99_ms: r4(quantile(sorted, 0.99)),
    eval_max_ms: r4(sorted[sorted.length - 1] ?? Number.NaN),
    load_ms: Math.round(loadMs * 10) / 10,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchPolicy().then(
    (result) => {
      for (const [k, v] of Object.entries(result)) console.log(`${k.padEnd(14)} ${v}`);
      console.log(result.eval_p99_ms < 1 ? 'p99 under 1 ms: ok' : 'p99 over 1 ms: TOO SLOW');
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
