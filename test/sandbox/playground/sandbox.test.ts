/**
 * The playground's "your site" routes against a real simulator: the listing shows the simulated
 * account's customer gateways and IPsec connections with their tunnels and never a pre-shared key;
 * "configure the peer" reaches the simulator's peer endpoint and brings tunnels up; anything else
 * the page could send is refused and changes nothing; outside sandbox mode there is nothing to
 * configure.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxRoutes, type SandboxListing } from '../../../src/sandbox/playground/sandbox.js';
import { ManualClock, type RunningSimulator } from '../../../src/sandbox/simulator/index.js';
import { startTestSimulator, type TestSimulator } from '../../support/simulator.js';
import { account, DUAL_REGION, tunnels } from '../simulator/account.js';

const KEY = { accessKeyId: 'site-key', accessKeySecret: 'site-secret' };
const clock = new ManualClock(Date.UTC(2025, 5, 1, 9, 0, 0));
let sim: TestSimulator;
const servers: Server[] = [];
let base: string;
let connectionId: string;
let cgws: string[];

async function serve(simulator: RunningSimulator | undefined): Promise<string> {
  const route = createSandboxRoutes(() => simulator);
  const server = createServer((req, res) => {
    void route(req, res, (req.url ?? '/').split('?')[0] ?? '/').then((handled) => {
      if (!handled) res.writeHead(418).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

const listing = async (at = base) =>
  (await (await fetch(`${at}/playground/sandbox`)).json()) as SandboxListing;
const peer = (body: string, at = base) =>
  fetch(`${at}/playground/peer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

beforeAll(async () => {
  sim = await startTestSimulator({ ...KEY, clock, provisionTimeMs: 10_000 });
  const acct = account(sim, KEY, clock);
  const gw = await acct.vpnGateway(DUAL_REGION);
  cgws = [
    await acct.customerGateway('47.61.0.1', DUAL_REGION),
    await acct.customerGateway('47.61.0.2', DUAL_REGION),
  ];
  const made = await acct.call<{ VpnConnectionId: string }>('CreateVpnConnection', {
    RegionId: DUAL_REGION,
    VpnGatewayId: gw.VpnGatewayId,
    LocalSubnet: '172.17.0.0/16',
    RemoteSubnet: '10.10.0.0/16',
    Name: 'office link',
    TunnelOptionsSpecification: tunnels(cgws[0] ?? '', cgws[1] ?? ''),
  });
  connectionId = made.VpnConnectionId;
  base = await serve(sim);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  sim.expectConformance();
  await sim.close();
});

describe('the playground’s view of the simulated site', () => {
  it('lists customer gateways and connections with their tunnels down, and no pre-shared key', async () => {
    const res = await fetch(`${base}/playground/sandbox`);
    const text = await res.text();
    const keys = sim.state().vpnConnections.flatMap((c) => c.tunnels.map((t) => t.ike.Psk));
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(text).not.toContain(key);
    const site = JSON.parse(text) as SandboxListing;
    expect(site.sandbox).toBe(true);
    expect(site.customerGateways.map((g) => [g.id, g.ipAddress, g.configured])).toEqual([
      [cgws[0], '47.61.0.1', false],
      [cgws[1], '47.61.0.2', false],
    ]);
    expect(site.connections).toEqual([
      {
        id: connectionId,
        name: 'office link',
        regionId: DUAL_REGION,
        vpnGatewayId: expect.stringMatching(/^vpn-/),
        tunnels: [
          { index: 1, customerGatewayId: cgws[0], role: 'master', up: false, takenDown: false },
          { index: 2, customerGatewayId: cgws[1], role: 'slave', up: false, takenDown: false },
        ],
        configured: false,
      },
    ]);
  });

  it('refuses what is not one well-formed id, and changes nothing', async () => {
    const before = JSON.stringify(await listing());
    for (const body of [
      '{}',
      '{"customerGatewayId":""}',
      '{"customerGatewayId":"vco-abc"}',
      `{"customerGatewayId":"${cgws[0]}","vpnConnectionId":"${connectionId}"}`,
      `{"vpnConnectionId":"${connectionId}","configured":true}`,
      `["${connectionId}"]`,
      'not json',
    ]) {
      const res = await peer(body);
      expect(res.status, body).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_peer');
    }
    // Well-formed but unknown: the simulator's own 404 comes back.
    expect((await peer('{"vpnConnectionId":"vco-doesnotexist0000000"}')).status).toBe(404);
    expect(JSON.stringify(await listing())).toBe(before);
    expect(sim.state().configuredPeers).toEqual([]);
    expect(sim.state().configuredConnections).toEqual([]);
  });

  it('configures the peer of a connection: both its tunnels come up', async () => {
    const res = await peer(`{"vpnConnectionId":"${connectionId}"}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, vpnConnectionIds: [connectionId] });
    const [connection] = (await listing()).connections;
    expect(connection?.tunnels.map((t) => t.up)).toEqual([true, true]);
    expect(connection?.configured).toBe(true);
    expect(sim.state().configuredConnections).toEqual([connectionId]);
  });

  it('takes a tunnel down and brings it back ("Take tunnel down"), refusing anything else', async () => {
    const tunnel = (body: unknown) =>
      fetch(`${base}/playground/tunnel`, { method: 'POST', body: JSON.stringify(body) });
    expect((await tunnel({ vpnConnectionId: connectionId, tunnel: 2, up: false })).status).toBe(200);
    let [connection] = (await listing()).connections;
    expect(connection?.tunnels.map((t) => [t.up, t.takenDown])).toEqual([
      [true, false],
      [false, true],
    ]);
    for (const body of [
      { vpnConnectionId: connectionId, tunnel: 3, up: false },
      { vpnConnectionId: connectionId, tunnel: 1 },
      { vpnConnectionId: 'cgw-abc', tunnel: 1, up: false },
      { vpnConnectionId: connectionId, tunnel: 1, up: false, account: 'x' },
    ]) {
      const res = await tunnel(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_tunnel');
    }
    expect((await tunnel({ vpnConnectionId: connectionId, tunnel: 2, up: true })).status).toBe(200);
    [connection] = (await listing()).connections;
    expect(connection?.tunnels.map((t) => [t.up, t.takenDown])).toEqual([
      [true, false],
      [true, false],
    ]);
  });

  it('configures the device behind a customer gateway', async () => {
    expect((await peer(`{"customerGatewayId":"${cgws[1]}"}`)).status).toBe(200);
    const site = await listing();
    expect(site.customerGateways.map((g) => g.configured)).toEqual([false, true]);
    expect(sim.state().configuredPeers).toEqual([cgws[1]]);
  });

  it('lists every account of a simulator that serves several, and configures a peer in the account that holds it', async () => {
    const keys = [
      { name: 'prod', accessKeyId: 'site-prod', accessKeySecret: 'site-prod-secret' },
      { name: 'staging', accessKeyId: 'site-staging', accessKeySecret: 'site-staging-secret' },
    ];
    const several = await startTestSimulator({ accounts: keys, clock });
    try {
      const [inProd, inStaging] = [
        await account(several, keys[0] ?? KEY, clock).customerGateway('47.62.0.1', DUAL_REGION),
        await account(several, keys[1] ?? KEY, clock).customerGateway('47.62.0.2', DUAL_REGION),
      ];
      const at = await serve(several);
      expect((await listing(at)).customerGateways.map((g) => [g.id, g.ipAddress])).toEqual([
        [inProd, '47.62.0.1'],
        [inStaging, '47.62.0.2'],
      ]);
      expect((await peer(`{"customerGatewayId":"${inStaging}"}`, at)).status).toBe(200);
      expect(several.state('staging').configuredPeers).toEqual([inStaging]);
      expect(several.state('prod').configuredPeers).toEqual([]);
      expect((await listing(at)).customerGateways.map((g) => g.configured)).toEqual([false, true]);
      several.expectConformance();
    } finally {
      await several.close();
    }
  });

  it('outside sandbox mode lists nothing and configures nothing', async () => {
    const real = await serve(undefined);
    expect(await listing(real)).toEqual({ sandbox: false, customerGateways: [], connections: [] });
    const res = await peer(`{"vpnConnectionId":"${connectionId}"}`, real);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toBe('not_sandbox');
  });
});

describe('BGP on the simulated site', () => {
  it('shows a customer gateway’s AS number and each tunnel’s /30, established once the peer is', async () => {
    const acct = account(sim, KEY, clock);
    const gw = await acct.vpnGateway(DUAL_REGION);
    const made = await Promise.all(
      [65001, 65002].map((Asn, i) =>
        acct.call<{ CustomerGatewayId: string }>('CreateCustomerGateway', {
          RegionId: DUAL_REGION,
          IpAddress: `47.61.9.${i + 1}`,
          Asn,
        }),
      ),
    );
    const ids = made.map((m) => m.CustomerGatewayId);
    const bgp = await acct.call<{ VpnConnectionId: string }>('CreateVpnConnection', {
      RegionId: DUAL_REGION,
      VpnGatewayId: gw.VpnGatewayId,
      LocalSubnet: '172.18.0.0/16',
      RemoteSubnet: '10.18.0.0/16',
      EnableTunnelsBgp: true,
      TunnelOptionsSpecification: tunnels(ids[0] ?? '', ids[1] ?? '', [
        { 'TunnelBgpConfig.TunnelCidr': '169.254.10.0/30' },
        { 'TunnelBgpConfig.TunnelCidr': '169.254.10.4/30' },
      ]),
    });
    const site = await listing();
    expect(site.customerGateways.filter((g) => ids.includes(g.id)).map((g) => g.asn)).toEqual([
      '65001',
      '65002',
    ]);
    const shown = () =>
      listing().then((l) => l.connections.find((c) => c.id === bgp.VpnConnectionId)?.tunnels);
    expect((await shown())?.map((t) => t.bgp)).toEqual([
      { tunnelCidr: '169.254.10.0/30', established: false },
      { tunnelCidr: '169.254.10.4/30', established: false },
    ]);
    expect((await peer(`{"vpnConnectionId":"${bgp.VpnConnectionId}"}`)).status).toBe(200);
    expect((await shown())?.map((t) => t.bgp?.established)).toEqual([true, true]);
    expect(site.connections.find((c) => c.id === connectionId)?.tunnels.some((t) => t.bgp)).toBe(false);
  });
});
