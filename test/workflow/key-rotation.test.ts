/**
 * The workflow's side of a key rotation on a single-tunnel connection, against the simulator and
 * real Redis: `IkeConfig` sent with the tunnel's current IKE settings and the derived key, with the
 * connection's subnets and EffectImmediately as they are, watched
 * until the change is applied; a connection the bot did not make is refused as one of another
 * channel; without REQUEST_SECRETS_KEY nothing is asked for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/workflow/secrets.js';
import { testRedis } from '../support/redis.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { gatewayPair, SIM_KEY, SINGLE_TUNNEL_REGION, startWorkflowHarness } from '../support/workflow.js';

const t = testRedis('wf-key-rotation');
const box = new SecretBox(Buffer.alloc(32, 3));
let sim: TestSimulator;
let h: ReturnType<typeof startWorkflowHarness>;
const REGION = SINGLE_TUNNEL_REGION;
const asker = { userId: 'U0ASKER' };

beforeAll(async () => {
  sim = await startTestSimulator({ ...SIM_KEY, provisionTimeMs: 100, updateTimeMs: 300 });
  h = startWorkflowHarness({ redis: t.redis, prefix: t.prefix, sim, secrets: box });
});
afterAll(async () => {
  sim.expectConformance();
  await h.close();
  await sim.close();
  await t.cleanup();
});

async function gatewayAndCgw(ip: string) {
  const { gateway, cgw } = await gatewayPair(h.vpc, REGION, ip);
  return { VpnGatewayId: gateway, CustomerGatewayId: cgw };
}

const rotate = (resourceId: string, channelId = 'C0NET') =>
  h.workflow.submitRotateKey({ resourceId, requester: asker, channelId, locale: 'en' });

describe('a key rotation in the workflow', () => {
  it('sends IkeConfig with the current settings and the new key, the subnets as they are, and waits until it is applied', async () => {
    const { VpnGatewayId, CustomerGatewayId } = await gatewayAndCgw('47.120.0.1');
    const made = await h.workflow.submit({
      resource: 'vpn_connection',
      values: {
        RegionId: REGION,
        VpnGatewayId,
        CustomerGatewayId,
        LocalSubnet: '10.0.0.0/16',
        RemoteSubnet: '172.30.0.0/16',
        'IkeConfig.IkeVersion': 'ikev2',
      },
      requester: asker,
      channelId: 'C0NET',
      locale: 'en',
    });
    if (!made.ok) throw new Error(JSON.stringify(made.errors));
    await h.workflow.approve(made.request.id, { userId: 'U0LEAD1' });
    const created = await h.waitFor(made.request.id, (r) => r.state === 'succeeded' || r.state === 'failed');
    const vco = created.cloud.resourceId ?? '';
    const before = sim.state().vpnConnections.find((c) => c.VpnConnectionId === vco)?.tunnels[0]?.ike;

    const asked = await rotate(vco);
    if (!asked.ok) throw new Error(asked.message.en);
    await h.workflow.approve(asked.request.id, { userId: 'U0LEAD1' });
    const provisioning = await h.waitFor(
      asked.request.id,
      (r) => r.state !== 'approved' && r.state !== 'creating',
    );
    expect(provisioning.state).toBe('provisioning');
    const done = await h.waitFor(asked.request.id, (r) => r.state === 'succeeded' || r.state === 'failed');
    expect(done.state).toBe('succeeded');
    const key = box.rotatedKey(asked.request.id, vco);
    const [call] = sim.requests().filter((r) => r.action === 'ModifyVpnConnectionAttribute');
    expect(call?.params.ClientToken).toBe(asked.request.id);
    expect(call?.params).toMatchObject({
      LocalSubnet: '10.0.0.0/16',
      RemoteSubnet: '172.30.0.0/16',
      EffectImmediately: String(
        sim.state().vpnConnections.find((c) => c.VpnConnectionId === vco)?.EffectImmediately,
      ),
    });
    // Done only once the change was applied: not before the connection was active again.
    const applied = sim.state().vpnConnections.find((c) => c.VpnConnectionId === vco)?.updatingUntil;
    expect(applied).toBeGreaterThan(0);
    expect(done.finishedAt).toBeGreaterThanOrEqual(applied ?? Number.POSITIVE_INFINITY);
    expect(JSON.parse(call?.params.IkeConfig ?? '{}')).toEqual({
      ...before,
      Psk: key,
    });
    expect(sim.state().vpnConnections.find((c) => c.VpnConnectionId === vco)?.tunnels[0]?.ike).toEqual({
      ...before,
      Psk: key,
    });
    // The record names no key, and the connection is still found by its creation.
    expect(JSON.stringify(await h.store.get(asked.request.id))).not.toContain(key);
    expect((await h.store.getByResourceId(vco))?.id).toBe(made.request.id);
  });

  it('refuses a connection the bot did not make, in the words of one of another channel', async () => {
    const { VpnGatewayId, CustomerGatewayId } = await gatewayAndCgw('47.120.0.2');
    const { VpnConnectionId } = await h.vpc.call<{ VpnConnectionId: string }>('CreateVpnConnection', {
      RegionId: REGION,
      VpnGatewayId,
      CustomerGatewayId,
      LocalSubnet: '10.1.0.0/16',
      RemoteSubnet: '172.31.0.0/16',
    });
    const outside = await rotate(VpnConnectionId);
    const absent = await rotate('vco-nosuchconnection00');
    expect(outside.ok).toBe(false);
    expect(!outside.ok && outside.message.en).toBe(
      !absent.ok && absent.message.en.replaceAll('vco-nosuchconnection00', VpnConnectionId),
    );
  });
});

describe('without REQUEST_SECRETS_KEY', () => {
  it('refuses the command, saying why, and asks nothing of the cloud', async () => {
    const keyless = startWorkflowHarness({
      redis: t.redis,
      prefix: `${t.prefix}:keyless`,
      sim,
      workers: false,
    });
    const calls = sim.requests().length;
    try {
      const refused = await keyless.workflow.submitRotateKey({
        resourceId: 'vco-anything000000',
        requester: asker,
        channelId: 'C0NET',
        locale: 'en',
      });
      expect(!refused.ok && refused.message.en).toContain('REQUEST_SECRETS_KEY is not set');
      expect(sim.requests().length).toBe(calls);
    } finally {
      await keyless.close();
    }
  });
});
