/**
 * The Slack surface end to end over signed HTTP: commands, modals, approvals and results in the
 * thread, as people in a channel meet them, every cloud call held against Alibaba's metadata.
 */
import { describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../src/sandbox/fake-slack/index.js';
import { ACTION_IDS } from '../../src/slack/ids.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import { CHANNEL, PEOPLE, useE2E } from '../support/e2e.js';

const e = useE2E('e2e', { conformance: true });

async function newestRequest(): Promise<ResourceRequest> {
  const [latest] = await e.bot.store.recentInChannel(CHANNEL, 1);
  if (!latest) throw new Error('no request stored');
  return latest;
}

function threadOf(request: ResourceRequest): FakeMessage[] {
  return e.slack.thread(CHANNEL, request.messageTs ?? '');
}

async function submitCustomer(ip: string, user: string = PEOPLE.requester) {
  const modal = await e.openModal(user, 'customer');
  const regions = await e.options(user, modal, 'RegionId', {});
  const region = regions.find((r) => r.value === 'cn-shanghai');
  expect(region?.text).toContain('cn-shanghai');
  const answer = await e.submit(user, modal, {
    RegionId: { option: 'cn-shanghai' },
    IpAddress: ip,
    Name: 'branch-office',
  });
  expect(answer.status).toBe(200);
  expect(answer.text).toBe('');
  const request = await newestRequest();
  return e.requestMessage(request.id);
}

describe('the Slack surface, end to end over signed HTTP', () => {
  it('takes a dual-tunnel VPN gateway from /gateway vpn through option loads, approval and polling to a broadcast result', async () => {
    const opened = await e.openModal(PEOPLE.requester, 'vpn');
    expect(opened.view.callback_id).toBe('create_vpn_gateway');
    const inputIds = (m: { view: Record<string, unknown> }) =>
      (m.view.blocks as { type: string; block_id?: string }[])
        .filter((b) => b.type === 'input')
        .map((b) => b.block_id);
    expect(inputIds(opened)).toEqual([
      'RegionId',
      'VpcId',
      'VSwitchId',
      'NetworkType',
      'Bandwidth',
      'Name',
      'InstanceChargeType',
      'EnableIpsec',
      'EnableSsl',
      'VpnType',
      'ResourceGroupId',
    ]);

    const noRegionYet = await e.options(PEOPLE.requester, opened, 'VpcId', {});
    expect(noRegionYet.map((o) => o.text)).toEqual(['Choose a region first']);
    const regions = await e.options(PEOPLE.requester, opened, 'RegionId', {}, 'hangzhou');
    expect(regions.map((r) => r.value)).toEqual(['cn-hangzhou']);
    // Choosing a dual-tunnel region brings the second vSwitch into the form, required.
    const modal = await e.choose(PEOPLE.requester, opened, 'RegionId', {
      RegionId: { option: 'cn-hangzhou' },
    });
    expect(inputIds(modal)).toContain('DisasterRecoveryVSwitchId');
    const vpcs = await e.options(PEOPLE.requester, modal, 'VpcId', { RegionId: { option: 'cn-hangzhou' } });
    expect(vpcs.length).toBe(3);
    expect(vpcs[0]?.text).toContain('default');
    const vpcId = vpcs[1]?.value as string;
    const where = { RegionId: { option: 'cn-hangzhou' }, VpcId: { option: vpcId } };
    const vswitches = await e.options(PEOPLE.requester, modal, 'VSwitchId', where);
    const zoneOf = (text: string | undefined) => /cn-hangzhou-\w/.exec(text ?? '')?.[0];
    expect(new Set(vswitches.map((v) => zoneOf(v.text))).size).toBe(2);
    const first = vswitches[0] as { value: string; text: string };
    const seconds = await e.options(PEOPLE.requester, modal, 'DisasterRecoveryVSwitchId', {
      ...where,
      VSwitchId: { option: first.value },
    });
    const second = seconds[0] as { value: string; text: string };
    expect(zoneOf(second.text)).not.toBe(zoneOf(first.text));
    const form = {
      ...where,
      Name: 'office-vpn',
      Bandwidth: { option: '10' },
      InstanceChargeType: { option: 'POSTPAY' },
      EnableIpsec: ['true'],
      EnableSsl: [],
      VpnType: { option: 'Normal' },
      NetworkType: { option: 'public' },
    };
    const before = e.slack.messages(CHANNEL).length;

    // One vSwitch, or two in one zone: refused in the modal, saying what to pick; nothing posted.
    const oneOnly = await e.submit(PEOPLE.requester, modal, { ...form, VSwitchId: { option: first.value } });
    expect(oneOnly.body).toMatchObject({
      response_action: 'errors',
      errors: { DisasterRecoveryVSwitchId: expect.stringMatching(/second vSwitch, in another zone/) },
    });
    const sameZone = await e.submit(PEOPLE.requester, modal, {
      ...form,
      VSwitchId: { option: first.value },
      DisasterRecoveryVSwitchId: { option: first.value },
    });
    expect(sameZone.body).toMatchObject({
      response_action: 'errors',
      errors: {
        DisasterRecoveryVSwitchId: expect.stringMatching(
          /Both vSwitches are in zone .* Pick the second vSwitch in/,
        ),
      },
    });
    // Every problem at once: the name the form refuses, and the zones the cloud would.
    const both = await e.submit(PEOPLE.requester, modal, {
      ...form,
      Name: 'https://office',
      VSwitchId: { option: first.value },
      DisasterRecoveryVSwitchId: { option: first.value },
    });
    expect(both.body).toMatchObject({
      response_action: 'errors',
      errors: {
        Name: expect.stringMatching(/^Name: contains ":", which is not allowed/),
        DisasterRecoveryVSwitchId: expect.stringMatching(/Both vSwitches are in zone/),
      },
    });
    expect(e.slack.messages(CHANNEL)).toHaveLength(before);

    const answer = await e.submit(PEOPLE.requester, modal, {
      ...form,
      VSwitchId: { option: first.value },
      DisasterRecoveryVSwitchId: { option: second.value },
    });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    const request = await e.requestMessage((await newestRequest()).id);
    const root = e.slack.workspace.findMessage(CHANNEL, request.messageTs);
    const rootText = JSON.stringify(root?.blocks);
    for (const fragment of [
      'office-vpn',
      'Bandwidth',
      'DisasterRecoveryVSwitchId',
      'Preflight',
      ACTION_IDS.approve,
      ACTION_IDS.reject,
      ACTION_IDS.cancel,
      request.id,
    ]) {
      expect(rootText).toContain(fragment);
    }

    const click = await e.click(PEOPLE.lead1, ACTION_IDS.approve, request);
    expect(click.status).toBe(200);
    const done = await e.waitForState(request.id, ['succeeded', 'failed']);
    expect(done.state).toBe('succeeded');
    const result = await e.slack.waitFor(() => threadOf(request).find((m) => m.reply_broadcast));
    expect(result.text).toContain(done.cloud.resourceId as string);
    expect(result.text).toContain('active');
    const resultBlocks = JSON.stringify(result.blocks);
    expect(resultBlocks).toContain(done.cloud.facts.InternetIp as string);
    expect(resultBlocks).toContain(done.cloud.facts.DisasterRecoveryInternetIp as string);
    expect(resultBlocks).toContain('dual-tunnel');
    const events = threadOf(request).map((m) => m.text);
    expect(events.some((text) => text.includes('Approved by'))).toBe(true);
    expect(events.some((text) => text.includes('provisioning'))).toBe(true);
    const edited = await e.slack.waitFor(() => {
      const m = e.slack.workspace.findMessage(CHANNEL, request.messageTs);
      return m && !JSON.stringify(m.blocks).includes(ACTION_IDS.approve) && m.text.includes('Done')
        ? m
        : undefined;
    });
    expect(JSON.stringify(edited.blocks)).toContain(done.cloud.resourceId as string);
    expect(e.sim.state().vpnGateways.filter((g) => g.ClientToken === request.id)).toHaveLength(1);
  });

  it('still creates a single-tunnel VPN gateway with one vSwitch where the region is single-tunnel', async () => {
    const opened = await e.openModal(PEOPLE.requester, 'vpn');
    const modal = await e.choose(PEOPLE.requester, opened, 'RegionId', { RegionId: { option: 'me-east-1' } });
    const ids = (modal.view.blocks as { block_id?: string }[]).map((b) => b.block_id);
    expect(ids).not.toContain('DisasterRecoveryVSwitchId');
    const where = { RegionId: { option: 'me-east-1' } };
    const vpcId = (await e.options(PEOPLE.requester, modal, 'VpcId', where))[0]?.value as string;
    const vswitch = (
      await e.options(PEOPLE.requester, modal, 'VSwitchId', { ...where, VpcId: { option: vpcId } })
    )[0];
    const answer = await e.submit(PEOPLE.requester, modal, {
      ...where,
      VpcId: { option: vpcId },
      VSwitchId: { option: vswitch?.value as string },
      Bandwidth: { option: '100' },
    });
    expect(answer.text).toBe('');
    const request = await e.requestMessage((await newestRequest()).id);
    await e.click(PEOPLE.lead2, ACTION_IDS.approve, request);
    const done = await e.waitForState(request.id, ['succeeded', 'failed']);
    expect(done.state).toBe('succeeded');
    expect(done.cloud.facts.DisasterRecoveryInternetIp).toBeUndefined();
  });

  it('does the same for a customer gateway', async () => {
    const request = await submitCustomer('47.50.0.1');
    await e.click(PEOPLE.lead2, ACTION_IDS.approve, request);
    const done = await e.waitForState(request.id, ['succeeded', 'failed']);
    expect(done.state).toBe('succeeded');
    const result = await e.slack.waitFor(() => threadOf(request).find((m) => m.reply_broadcast));
    expect(result.text).toContain(done.cloud.resourceId as string);
  });

  it('answers an invalid submission with field errors, and posts and stores nothing', async () => {
    const modal = await e.openModal(PEOPLE.requester, 'customer');
    const messagesBefore = e.slack.messages(CHANNEL).length;
    const requestsBefore = (await e.bot.store.recentInChannel(CHANNEL, 100)).length;
    const answer = await e.submit(PEOPLE.requester, modal, {
      RegionId: { option: 'cn-shanghai' },
      IpAddress: '127.0.0.1',
      Name: '1bad',
    });
    expect(answer.body).toMatchObject({
      response_action: 'errors',
      errors: {
        IpAddress: expect.stringMatching(
          /^IP address: in a range Alibaba Cloud refuses for a customer gateway/,
        ),
        Name: 'Name: does not start with a letter or a Chinese character. Start it with one.',
      },
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(e.slack.messages(CHANNEL)).toHaveLength(messagesBefore);
    expect(await e.bot.store.recentInChannel(CHANNEL, 100)).toHaveLength(requestsBefore);
  });

  it('refuses at submission an IP already used in the region, in the modal, posting nothing', async () => {
    const first = await submitCustomer('47.50.0.9');
    await e.click(PEOPLE.lead1, ACTION_IDS.approve, first);
    const done = await e.waitForState(first.id, ['succeeded']);
    await e.slack.waitFor(() => threadOf(first).find((m) => m.reply_broadcast));
    const modal = await e.openModal(PEOPLE.requester, 'customer');
    const before = e.slack.messages(CHANNEL).length;
    const answer = await e.submit(PEOPLE.requester, modal, {
      RegionId: { option: 'cn-shanghai' },
      IpAddress: '47.50.0.9',
    });
    expect(answer.body).toMatchObject({
      response_action: 'errors',
      errors: {
        IpAddress: `47.50.0.9 is already customer gateway ${done.cloud.resourceId} in cn-shanghai; it can be used once per region.`,
      },
    });
    expect(e.slack.messages(CHANNEL)).toHaveLength(before);
  });

  it('refuses self-approval and outsiders with an ephemeral message, and makes one job of ten rapid clicks', async () => {
    const request = await submitCustomer('47.50.0.2', PEOPLE.lead1);
    await e.click(PEOPLE.lead1, ACTION_IDS.approve, request);
    await e.click(PEOPLE.outsider, ACTION_IDS.approve, request);
    await e.slack.waitFor(
      () => e.slack.workspace.ephemerals.filter((m) => m.channel === CHANNEL).length >= 2 || undefined,
    );
    const ephemerals = e.slack.workspace.ephemerals.slice(-2);
    expect(ephemerals.map((m) => m.user)).toEqual([PEOPLE.lead1, PEOPLE.outsider]);
    expect(ephemerals[0]?.text).toMatch(/cannot approve it yourself/);
    expect(ephemerals[1]?.text).toMatch(/Only the team leads/);
    expect((await e.bot.store.mustGet(request.id)).state).toBe('pending_approval');

    const clicks = await Promise.all(
      Array.from({ length: 10 }, () => e.click(PEOPLE.lead2, ACTION_IDS.approve, request)),
    );
    expect(clicks.every((c) => c.status === 200)).toBe(true);
    await e.waitForState(request.id, ['succeeded']);
    const trail = await e.bot.store.auditTrail(request.id);
    expect(trail.filter((x) => x.to === 'approved' && x.from === 'pending_approval')).toHaveLength(1);
    expect(e.sim.state().customerGateways.filter((g) => g.ClientToken === request.id)).toHaveLength(1);
  });

  it('rejects with a reason and cancels by the requester, both shown in the thread', async () => {
    const toReject = await submitCustomer('47.50.0.3');
    const opensBefore = e.slack.callsTo('views.open').length;
    await e.click(PEOPLE.lead1, ACTION_IDS.reject, toReject);
    const call = await e.slack.waitFor(() => e.slack.callsTo('views.open')[opensBefore]);
    const modal = {
      view: call.params.view as Record<string, unknown>,
      viewId: String((call.response.view as { id: string }).id),
    };
    expect(modal.view.callback_id).toBe('reject_reason');
    const tooShort = await e.submit(PEOPLE.lead1, modal, { reason: 'no' });
    expect(tooShort.body).toMatchObject({ response_action: 'errors' });
    await e.submit(PEOPLE.lead1, modal, { reason: 'Use the shared gateway in cn-shanghai instead' });
    await e.waitForState(toReject.id, ['rejected']);
    await e.slack.waitFor(() => threadOf(toReject).find((m) => m.text.includes('Use the shared gateway')));

    const toCancel = await submitCustomer('47.50.0.4');
    await e.click(PEOPLE.lead2, ACTION_IDS.cancel, toCancel);
    await e.click(PEOPLE.requester, ACTION_IDS.cancel, toCancel);
    await e.waitForState(toCancel.id, ['cancelled']);
    await e.slack.waitFor(() => threadOf(toCancel).find((m) => m.text.includes('Cancelled by')));
    // lead2's Slack locale is zh-CN, so the refusal is in Chinese.
    expect(
      e.slack.workspace.ephemerals.some(
        (m) => m.user === PEOPLE.lead2 && m.text.includes('只有申请人可以取消'),
      ),
    ).toBe(true);
  });

  it('delivers every thread message exactly once while every third chat.postMessage answers 429', async () => {
    e.slack.rateLimitEvery('chat.postMessage', 3, 1);
    try {
      const request = await submitCustomer('47.50.0.5');
      await e.click(PEOPLE.lead1, ACTION_IDS.approve, request);
      await e.waitForState(request.id, ['succeeded']);
      await e.slack.waitFor(() => threadOf(request).find((m) => m.reply_broadcast), 20_000);
      const texts = threadOf(request).map((m) => m.text);
      expect(new Set(texts).size).toBe(texts.length);
      // In lifecycle order, whatever Slack refused on the way.
      expect(texts.findIndex((x) => x.includes('Approved by'))).toBeLessThan(
        texts.findIndex((x) => x.includes('Creating')),
      );
      expect(texts.at(-1)).toContain('available');
      expect(texts.filter((x) => x.includes('Approved by'))).toHaveLength(1);
      expect(texts.filter((x) => x.includes('Creating'))).toHaveLength(1);
      expect(e.slack.calls.some((c) => c.method === 'chat.postMessage' && c.status === 429)).toBe(true);
      const roots = e.slack
        .messages(CHANNEL)
        .filter((m) => JSON.stringify(m.metadata ?? {}).includes(`${request.id}.submitted`));
      expect(roots).toHaveLength(1);
    } finally {
      e.slack.clearFailures();
    }
  }, 40_000);

  it('withdraws a request it cannot post in its channel, and tells the requester directly', async () => {
    e.slack.failNext('chat.postMessage', { error: 'not_in_channel' });
    const modal = await e.openModal(PEOPLE.requester, 'customer');
    await e.submit(PEOPLE.requester, modal, { RegionId: { option: 'cn-shanghai' }, IpAddress: '47.50.0.20' });
    const request = await newestRequest();
    const withdrawn = await e.waitForState(request.id, ['cancelled']);
    expect(withdrawn.cancelledBy?.userId).toBe('system:notifier');
    const dm = await e.slack.waitFor(() => e.slack.messages(PEOPLE.requester).at(-1));
    expect(dm.text).toContain('not_in_channel');
    expect(dm.text).toContain('/invite @gateway-bot');
    const trail = await e.bot.store.auditTrail(request.id);
    expect(trail.at(-1)).toMatchObject({
      action: 'withdrawn',
      to: 'cancelled',
      details: { reason: 'not_in_channel' },
    });
  });

  it('answers help, status, list', async () => {
    const help = await e.command(PEOPLE.requester, '');
    expect((help.body as { text: string }).text).toContain('/gateway vpn');
    const unknown = await e.command(PEOPLE.requester, 'frobnicate');
    expect((unknown.body as { text: string }).text).toContain('I do not know `frobnicate`');
    // Its own request, so that the test needs no other to have run first.
    const request = await submitCustomer('47.50.0.30');
    const status = await e.command(PEOPLE.requester, `status ${request.id}`);
    expect(JSON.stringify(status.body)).toContain(request.id);
    expect(JSON.stringify(status.body)).toContain('47.50.0.30');
    const list = await e.command(PEOPLE.requester, 'list');
    expect((list.body as { text: string }).text).toContain(request.id);
  });

  it('refuses unsigned, wrongly signed and replayed requests', async () => {
    const body = 'command=%2Fgateway&text=help&user_id=U0ASKER&channel_id=C0NETOPS&trigger_id=1';
    const unsigned = await fetch(e.eventsUrl, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(unsigned.status).toBe(401);
    const { postToApp } = await import('../../src/sandbox/fake-slack/index.js');
    expect((await postToApp(e.eventsUrl, 'wrong-secret', body)).status).toBe(401);
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 360;
    const { SIGNING_SECRET } = await import('../support/e2e.js');
    expect((await postToApp(e.eventsUrl, SIGNING_SECRET, body, sixMinutesAgo)).status).toBe(401);
    expect((await postToApp(e.eventsUrl, SIGNING_SECRET, body)).status).toBe(200);
  });

  it('serves health, readiness, metrics that move when a request runs', async () => {
    expect((await fetch(`${e.bot.http.url}/healthz`)).status).toBe(200);
    // Readiness waits for Slack to accept the token, which start-up does not.
    await expect
      .poll(async () => (await fetch(`${e.bot.http.url}/readyz`)).json())
      .toEqual({ ready: true, checks: { redis: true, slack: true, worker: true } });
    const request = await submitCustomer('47.50.0.31');
    await e.click(PEOPLE.lead1, ACTION_IDS.approve, request);
    await e.waitForState(request.id, ['succeeded']);
    const metrics = await (await fetch(`${e.bot.http.url}/metrics`)).text();
    expect(metrics).toMatch(
      /gateway_cloud_calls_total\{account="default",action="CreateCustomerGateway",code="OK"\} [1-9]/,
    );
    expect(metrics).toMatch(/gateway_slack_ack_latency_seconds_count\{type="http"\} [1-9]/);
  });
});
