/**
 * A resource belongs to the channel its request came from. From another channel `/gateway delete`
 * of it is answered in the words used for an id that does not exist, nothing is posted or stored,
 * and its owners' own delete still works; a resource the bot is still creating cannot be deleted,
 * and the answer names the request that holds it.
 */
import { describe, expect, it } from 'vitest';
import { createVpcClient } from '../../src/cloud/index.js';
import { ACTION_IDS } from '../../src/slack/ids.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import { CHANNEL, CLOUD_KEY, OTHER_CHANNEL, PEOPLE, useE2E } from '../support/e2e.js';
import { seededVpc } from '../support/workflow.js';

const KEY = { accessKeyId: CLOUD_KEY.id, accessKeySecret: CLOUD_KEY.secret };
// Gateways stay `provisioning` for a while: long enough to ask for their deletion meanwhile.
const e = useE2E('ownership', {
  conformance: true,
  overrides: { simulator: { provisionTimeMs: 6_000 } },
});

/** What the bot last told someone privately, with the id it was about taken out. */
async function nextPrivateAnswer(send: () => Promise<unknown>): Promise<string> {
  const before = e.slack.callsTo('chat.postEphemeral').length;
  await send();
  const call = await e.slack.waitFor(() => e.slack.callsTo('chat.postEphemeral')[before]);
  return String(call.params.text ?? '');
}

/** The newest request of the channel that `matches`, once its message is posted. */
async function newest(matches: (r: ResourceRequest) => boolean): Promise<ResourceRequest> {
  let found: ResourceRequest | undefined;
  await expect
    .poll(async () => {
      const [r] = await e.bot.store.recentInChannel(CHANNEL, 1);
      found = r?.messageTs && matches(r) ? r : undefined;
      return found !== undefined;
    })
    .toBe(true);
  return found as ResourceRequest;
}

async function posted(where: string): Promise<number> {
  return (await e.bot.store.recentInChannel(where, 100)).length;
}

async function succeededCustomerGateway(ip: string): Promise<ResourceRequest> {
  const modal = await e.openModal(PEOPLE.requester, 'customer');
  await e.submit(PEOPLE.requester, modal, { RegionId: { option: 'cn-shanghai' }, IpAddress: ip });
  const [request] = await e.bot.store.recentInChannel(CHANNEL, 1);
  const shown = await e.requestMessage(request?.id ?? '');
  await e.click(PEOPLE.lead1, ACTION_IDS.approve, shown);
  return e.waitForState(shown.id, ['succeeded']);
}

describe('a resource belongs to the channel it was asked for in', () => {
  it('is as good as absent elsewhere: the same words as for no such id, nothing posted, the owners unblocked', async () => {
    const made = await succeededCustomerGateway('47.96.3.30');
    const cgw = made.cloud.resourceId ?? '';
    const postedElsewhere = () =>
      e.slack.callsTo('chat.postMessage').filter((c) => c.params.channel === OTHER_CHANNEL).length;
    const elsewhere = await posted(OTHER_CHANNEL);

    const fromOther = await nextPrivateAnswer(() =>
      e.command(PEOPLE.outsider, `delete ${cgw}`, OTHER_CHANNEL),
    );
    const noSuchId = 'cgw-nosuchgateway00000';
    const forNothing = await nextPrivateAnswer(() =>
      e.command(PEOPLE.outsider, `delete ${noSuchId}`, OTHER_CHANNEL),
    );
    expect(fromOther).toContain(cgw);
    expect(fromOther.replaceAll(cgw, '<id>')).toBe(forNothing.replaceAll(noSuchId, '<id>'));
    // Not the name, not the address, not that it exists.
    expect(fromOther).not.toContain('47.96.3.30');
    expect(await posted(OTHER_CHANNEL)).toBe(elsewhere);
    expect(postedElsewhere()).toBe(0);

    // The owners' own delete is not blocked by anything the other channel did.
    await e.command(PEOPLE.requester, `delete ${cgw}`);
    const deletion = await newest((r) => r.operation === 'delete');
    expect(deletion).toMatchObject({ channelId: CHANNEL, cloud: { resourceId: cgw } });
  });

  it('cannot be deleted while the bot is still creating it, and the answer names the request that holds it', async () => {
    const region = 'me-east-1';
    const modal = await e.openModal(PEOPLE.requester, 'vpn');
    await e.submit(PEOPLE.requester, modal, {
      RegionId: { option: region },
      VpcId: { option: await seededVpc(createVpcClient({ ...KEY, endpoint: e.sim.url }), region) },
      Bandwidth: { option: '10' },
    });
    const [asked] = await e.bot.store.recentInChannel(CHANNEL, 1);
    const request = await e.requestMessage(asked?.id ?? '');
    await e.click(PEOPLE.lead1, ACTION_IDS.approve, request);
    const making = await e.waitForState(request.id, ['provisioning']);
    const gateway = making.cloud.resourceId ?? '';
    const before = await posted(CHANNEL);

    const answer = await nextPrivateAnswer(() => e.command(PEOPLE.requester, `delete ${gateway}`));
    expect(answer).toContain(`${gateway} is still being created by request ${request.id}`);
    expect(await posted(CHANNEL)).toBe(before);
    expect(e.sim.requests().filter((r) => r.action === 'DeleteVpnGateway')).toEqual([]);

    // Once it is made, its deletion is asked for like any other.
    await e.waitForState(request.id, ['succeeded'], 20_000);
    await e.command(PEOPLE.requester, `delete ${gateway}`);
    const deletion = await newest((r) => r.operation === 'delete' && r.cloud.resourceId === gateway);
    expect(deletion.preflight?.checks).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'in_flight', outcome: 'pass' })]),
    );
  });
});
