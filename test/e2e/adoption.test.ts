/**
 * Adoption over signed HTTP (docs/requests.md, "Adoption"): an IPsec connection made in the console
 * is out of the bot's reach (status, delete, rotate-key) until `/gateway adopt vco-…` is approved in
 * a channel. The adoption sends nothing that changes the cloud; from then on the connection is the
 * channel's as if the bot had made it: its tunnels watched (down and back said once each), its drift
 * measured from how it was taken over, its key shown to the requester, its keys rotated and the
 * connection deleted through the bot. Another channel cannot adopt it, during or after, and hears
 * the words of an id that does not exist.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { VpcClient } from '../../src/cloud/index.js';
import { ACTION_IDS } from '../../src/slack/ids.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import {
  accountClient,
  CHANNEL,
  clicksAnsweredPrivately,
  consoleGateways,
  OTHER_CHANNEL,
  PEOPLE,
  privateAnswerTo,
  until,
  useE2E,
} from '../support/e2e.js';
import { testRedis } from '../support/redis.js';

const REGION = 'cn-hangzhou';
const t = testRedis('adoption');
const e = useE2E(t, {
  env: { REQUEST_SECRETS_KEY: 'cd'.repeat(32), TUNNEL_HEALTH_INTERVAL: '1s' },
  overrides: { simulator: { updateTimeMs: 200 } },
  conformance: true,
});
/** Two health sweeps and a half at TUNNEL_HEALTH_INTERVAL (1s, the least): what is said once is not said again within them. */
const MORE_SWEEPS = 2_500;
let vpc: VpcClient;
let vco: string;
let adoption: ResourceRequest & { messageTs: string };

const answerTo = (command: string, channel = CHANNEL) => privateAnswerTo(e, command, channel);
const posted = (where: string) =>
  e.slack.callsTo('chat.postMessage').filter((c) => c.params.channel === where).length;
const thread = () => e.slack.thread(CHANNEL, adoption.messageTs).map((m) => m.text ?? '');
const tunnels = () => e.sim.state().vpnConnections.find((c) => c.VpnConnectionId === vco)?.tunnels ?? [];
/** Calls that change the account: whatever is not a read. */
const changes = () => e.sim.requests().filter((r) => !/^(Describe|List|Download)/.test(r.action));

async function newest(operation: string): Promise<ResourceRequest & { messageTs: string }> {
  return until(async () => {
    const [r] = await e.bot.store.recentInChannel(CHANNEL, 1);
    return r?.operation === operation && r.messageTs
      ? (r as ResourceRequest & { messageTs: string })
      : undefined;
  });
}

beforeAll(async () => {
  vpc = accountClient(e);
  // Everything here is made in the console, as before the bot existed.
  const {
    gatewayId,
    customerGatewayIds: [master, slave],
  } = await consoleGateways(e, REGION, ['47.102.1.1', '47.102.1.2']);
  const made = await vpc.call<{ VpnConnectionId: string }>('CreateVpnConnection', {
    RegionId: REGION,
    VpnGatewayId: gatewayId,
    Name: 'legacy *link*',
    LocalSubnet: '192.168.0.0/16',
    RemoteSubnet: '172.16.0.0/16',
    'TunnelOptionsSpecification.1.CustomerGatewayId': master,
    'TunnelOptionsSpecification.1.Role': 'master',
    'TunnelOptionsSpecification.2.CustomerGatewayId': slave,
    'TunnelOptionsSpecification.2.Role': 'slave',
  });
  vco = made.VpnConnectionId;
  e.sim.configurePeer({ vpnConnectionId: vco });
});

describe('/gateway adopt', () => {
  it('is needed before status, delete or rotate-key reach a connection made outside the bot', async () => {
    const absent = await answerTo('delete vco-doesnotexist0000');
    expect(await answerTo(`delete ${vco}`)).toBe(absent.replaceAll('vco-doesnotexist0000', vco));
    expect(await answerTo(`rotate-key ${vco}`)).toContain('whose keys this channel may change');
    const status = await e.command(PEOPLE.requester, `status ${vco}`);
    expect(JSON.stringify(status.body)).toContain('I know no request or resource');
    expect(await e.bot.store.recentInChannel(CHANNEL, 10)).toEqual([]);
    // Without an id, or with one of a kind it cannot adopt: said privately, nothing asked for.
    expect(JSON.stringify((await e.command(PEOPLE.requester, 'adopt')).body)).toContain(
      'Tell me what to adopt',
    );
    expect(await answerTo('adopt vpc-0000000000000000001')).toContain('not an id I can adopt');
  });

  it('posts a request that shows the connection as listed, and holds it against another channel', async () => {
    const changesBefore = changes().length;
    expect(await answerTo(`adopt ${vco}`)).toContain('adoption request');
    adoption = await newest('adopt');
    expect(adoption).toMatchObject({
      resource: 'vpn_connection',
      params: { RegionId: REGION, VpnConnectionId: vco },
      state: 'pending_approval',
    });
    const shown = JSON.stringify(e.slack.workspace.findMessage(CHANNEL, adoption.messageTs)?.blocks);
    expect(shown).toContain('asks to *adopt* the IPsec connection');
    expect(shown).toContain('What will be adopted');
    // The name a person typed in the console is data, shown inert: its asterisks are not bold.
    expect(shown).toContain('`legacy *link*`');
    expect(shown).toContain('172.16.0.0/16');
    // Another channel learns nothing, whether it asks to adopt it now or to delete it.
    const elsewhere = posted(OTHER_CHANNEL);
    const absent = await answerTo('adopt vco-doesnotexist0000', OTHER_CHANNEL);
    expect(await answerTo(`adopt ${vco}`, OTHER_CHANNEL)).toBe(
      absent.replaceAll('vco-doesnotexist0000', vco),
    );
    expect(posted(OTHER_CHANNEL)).toBe(elsewhere);
    expect(await e.bot.store.recentInChannel(OTHER_CHANNEL, 10)).toEqual([]);
    // One operation at a time: another adoption, a deletion or a key rotation waits for this one.
    expect(await answerTo(`adopt ${vco}`)).toContain(`Request ${adoption.id} on ${vco} is still open`);
    for (const asked of [`delete ${vco}`, `rotate-key ${vco}`])
      expect(await answerTo(asked)).toContain(
        `${vco} is not this channel's yet: its adoption, request ${adoption.id}, is still open`,
      );
    expect(changes().length).toBe(changesBefore);
  });

  it('takes it over once approved, changing nothing in the cloud, and offers its key', async () => {
    const changesBefore = changes().length;
    await e.click(PEOPLE.lead1, ACTION_IDS.approve, adoption);
    const done = await e.waitForState(adoption.id, ['succeeded', 'failed']);
    expect(done.error).toBeUndefined();
    expect(done.state).toBe('succeeded');
    expect(done.baseline).toMatchObject({ LocalSubnet: '192.168.0.0/16', RemoteSubnet: '172.16.0.0/16' });
    expect(changes().length).toBe(changesBefore);
    const result = await e.slack.waitFor(() =>
      e.slack
        .thread(CHANNEL, adoption.messageTs)
        .find((m) => m.reply_broadcast && m.text?.includes('is adopted')),
    );
    expect(result.text).toContain(`<@${PEOPLE.requester}>`);
    const blocks = JSON.stringify(result.blocks);
    expect(blocks).toContain(`"action_id":"${ACTION_IDS.revealPsk}","value":"${adoption.id}"`);
    expect(blocks).toContain(`"action_id":"${ACTION_IDS.peerConfig}","value":"${adoption.id}"`);
    // Both tunnels as the account listed them when taken over.
    expect(blocks.match(/:\* up/g)).toHaveLength(2);

    // Its key, to the requester, read at the click; an outsider is refused.
    const to = await clicksAnsweredPrivately(e, ACTION_IDS.revealPsk, adoption, result.ts, [
      PEOPLE.requester,
      PEOPLE.outsider,
    ]);
    for (const tunnel of tunnels()) {
      expect(to(PEOPLE.requester)).toContain(tunnel.ike.Psk);
      expect(to(PEOPLE.outsider)).not.toContain(tunnel.ike.Psk);
    }

    // /gateway status shows it here, as taken over; elsewhere it is unknown.
    const here = JSON.stringify((await e.command(PEOPLE.requester, `status ${vco}`)).body);
    expect(here).toContain(adoption.id);
    expect(here).toContain('192.168.0.0/16');
    // (Its requester and the approvers see their requests anywhere; someone else does not.)
    const there = JSON.stringify((await e.command(PEOPLE.outsider, `status ${vco}`, OTHER_CHANNEL)).body);
    expect(there).toContain('I know no request or resource');
    // Asked again here; and anything asked of it elsewhere, in the words of an id that is none.
    expect(await answerTo(`adopt ${vco}`)).toContain(
      `already belongs to this channel (request ${adoption.id})`,
    );
    const elsewhere = posted(OTHER_CHANNEL);
    for (const verb of ['adopt', 'delete', 'rotate-key']) {
      const absent = await answerTo(`${verb} vco-doesnotexist0000`, OTHER_CHANNEL);
      expect(await answerTo(`${verb} ${vco}`, OTHER_CHANNEL)).toBe(
        absent.replaceAll('vco-doesnotexist0000', vco),
      );
    }
    expect(posted(OTHER_CHANNEL)).toBe(elsewhere);
    expect(await e.bot.store.recentInChannel(OTHER_CHANNEL, 10)).toEqual([]);
  });

  it('watches its tunnels: one message when one goes down, one when it is back', async () => {
    e.sim.setTunnel({ vpnConnectionId: vco, tunnel: 2, up: false });
    const down = await until(() => thread().find((x) => x.includes('is down since')));
    expect(down).toContain(vco);
    e.sim.setTunnel({ vpnConnectionId: vco, tunnel: 2, up: true });
    await until(() => thread().find((x) => x.includes('is up again')));
    // More sweeps: nothing is said twice.
    await new Promise((r) => setTimeout(r, MORE_SWEEPS));
    expect(thread().filter((x) => x.includes('is down since'))).toHaveLength(1);
    expect(thread().filter((x) => x.includes('is up again'))).toHaveLength(1);
  });

  it('says a change made in the console since it was taken over, once', async () => {
    e.sim.changeOutside({ id: vco, set: { RemoteSubnet: '172.30.0.0/16' } });
    const said = await until(() =>
      thread().find((x) => x.includes('no longer matches how it was when adopted')),
    );
    expect(said).toContain('when adopted `172.16.0.0/16`, now `172.30.0.0/16`');
    await new Promise((r) => setTimeout(r, MORE_SWEEPS));
    expect(thread().filter((x) => x.includes('no longer matches'))).toHaveLength(1);
  });

  it('gets new keys and is deleted through the bot, from its channel', async () => {
    expect(await answerTo(`rotate-key ${vco}`)).toContain('key rotation request');
    const rotation = await newest('rotate_key');
    await e.click(PEOPLE.lead1, ACTION_IDS.approve, rotation);
    expect((await e.waitForState(rotation.id, ['succeeded', 'failed'], 20_000)).state).toBe('succeeded');
    expect(e.sim.requests().filter((r) => r.action === 'ModifyVpnConnectionAttribute')).toHaveLength(1);

    expect(await answerTo(`delete ${vco}`)).toContain('deletion request');
    const deletion = await newest('delete');
    await e.click(PEOPLE.lead1, ACTION_IDS.approve, deletion);
    expect((await e.waitForState(deletion.id, ['succeeded', 'failed'])).state).toBe('succeeded');
    expect(e.sim.state().vpnConnections.find((c) => c.VpnConnectionId === vco)).toBeUndefined();
    // No longer followed: its deletion is not drift, and the live index let it go.
    expect(await e.bot.store.liveIds()).not.toContain(adoption.id);
    await new Promise((r) => setTimeout(r, MORE_SWEEPS));
    expect(thread().filter((x) => x.includes('no longer in the account'))).toEqual([]);
  });
});
