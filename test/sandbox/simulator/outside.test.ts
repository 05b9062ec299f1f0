/**
 * What happens outside the bot, through the simulator's control routes: a tunnel taken down on the
 * on-premises side and back (one tunnel of two), a connection's networks and a gateway's bandwidth
 * changed in the console, and deletes there, refused while something uses the resource.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/sandbox/simulator/index.js';
import { DUAL_REGION, tunnels, useSimulatedAccount } from './account.js';

const KEY = { accessKeyId: 'outside-key', accessKeySecret: 'outside-secret' };
const clock = new ManualClock(Date.UTC(2025, 2, 1, 9, 0, 0));
const s = useSimulatedAccount(KEY, clock, { provisionTimeMs: 1_000 });

const control = (route: string, body: unknown) =>
  fetch(`${s.sim.url}/_simulator/${route}`, { method: 'POST', body: JSON.stringify(body) });

interface Listed {
  VpnConnectionId: string;
  LocalSubnet: string;
  TunnelOptionsSpecification: { TunnelOptions: { Role: string; Status: string }[] };
}
async function listed(id: string): Promise<Listed | undefined> {
  const answer = await s.acct.call<{ VpnConnections: { VpnConnection: Listed[] } }>(
    'DescribeVpnConnections',
    {
      RegionId: DUAL_REGION,
    },
  );
  return answer.VpnConnections.VpnConnection.find((c) => c.VpnConnectionId === id);
}
const statuses = async (id: string) =>
  (await listed(id))?.TunnelOptionsSpecification.TunnelOptions.map((t) => `${t.Role} ${t.Status}`);

async function connection() {
  const gw = await s.acct.vpnGateway(DUAL_REGION);
  const [master, slave] = [
    await s.acct.customerGateway('47.70.0.1', DUAL_REGION),
    await s.acct.customerGateway('47.70.0.2', DUAL_REGION),
  ];
  const { VpnConnectionId } = await s.acct.call<{ VpnConnectionId: string }>('CreateVpnConnection', {
    RegionId: DUAL_REGION,
    VpnGatewayId: gw.VpnGatewayId,
    LocalSubnet: '172.17.0.0/16',
    RemoteSubnet: '10.10.0.0/16',
    TunnelOptionsSpecification: tunnels(master, slave),
  });
  return { gw, master, id: VpnConnectionId };
}

describe('outside the bot', () => {
  it('takes one tunnel down and brings it back, the other staying up', async () => {
    const { id } = await connection();
    s.sim.configurePeer({ vpnConnectionId: id });
    expect(await statuses(id)).toEqual(['master ipsec_sa_established', 'slave ipsec_sa_established']);
    expect((await control('tunnel', { vpnConnectionId: id, tunnel: 2, up: false })).status).toBe(200);
    expect(await statuses(id)).toEqual(['master ipsec_sa_established', 'slave ike_sa_not_established']);
    s.sim.setTunnel({ vpnConnectionId: id, tunnel: 2, up: true });
    expect(await statuses(id)).toEqual(['master ipsec_sa_established', 'slave ipsec_sa_established']);
    expect((await control('tunnel', { vpnConnectionId: 'vco-none', up: false })).status).toBe(404);
    expect((await control('tunnel', { vpnConnectionId: id, tunnel: 3, up: false })).status).toBe(400);
  });

  it('changes a connection’s networks and a gateway’s bandwidth, as the console would', async () => {
    const { gw, id } = await connection();
    expect((await control('outside', { id, set: { LocalSubnet: '172.18.0.0/16' } })).status).toBe(200);
    expect((await listed(id))?.LocalSubnet).toBe('172.18.0.0/16');
    s.sim.changeOutside({ id: gw.VpnGatewayId, set: { Bandwidth: 20 } });
    expect(s.sim.state().vpnGateways[0]?.Bandwidth).toBe(20);
    const refused = await control('outside', { id, set: { Name: 'x' } });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: expect.stringContaining('cannot be set') });
  });

  it('deletes what nothing uses, and refuses a gateway a connection still uses', async () => {
    const { gw, master, id } = await connection();
    const refused = await control('outside', { id: master, delete: true });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: expect.stringContaining(id) });
    expect((await control('outside', { id, delete: true })).status).toBe(200);
    expect(await listed(id)).toBeUndefined();
    s.sim.changeOutside({ id: gw.VpnGatewayId, delete: true });
    expect(s.sim.state().vpnGateways).toEqual([]);
    expect((await control('outside', { id, delete: true })).status).toBe(404);
  });
});
