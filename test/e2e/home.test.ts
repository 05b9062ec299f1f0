/**
 * The Home tab end to end over signed HTTP: `app_home_opened` from the fake Slack, the view the bot
 * publishes for that person (what they may approve now, their requests, the tunnels down in their
 * channels), and its buttons clicked as Slack sends a Home click (a view, no channel): checked and
 * carried out as the thread's, answered on the Home tab.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { homeActionPayload, interactionBody, postToApp } from '../../src/sandbox/fake-slack/index.js';
import { ACTION_IDS } from '../../src/slack/ids.js';
import { newRequestId } from '../../src/workflow/ids.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import { CHANNEL, OTHER_CHANNEL, PEOPLE, SIGNING_SECRET, useE2E } from '../support/e2e.js';

const e = useE2E('e2e-home');

interface Block {
  type: string;
  block_id?: string;
  text?: { text: string };
  /** Buttons (`text` an object) or a context's texts (`text` a string). */
  elements?: { type: string; action_id?: string; value?: string; text?: string | { text: string } }[];
  accessory?: { action_id?: string; value?: string };
}
interface Home {
  id: string;
  hash: string;
  view: Record<string, unknown>;
  blocks: Block[];
}

beforeAll(() => {
  e.slack.deliverEventsTo(e.eventsUrl, SIGNING_SECRET);
});

/** The first Home view published for `user` after the `after`-th call (that says `saying`, if given). */
async function publishedFor(user: string, after: number, saying?: string): Promise<Home> {
  const call = await e.slack.waitFor(() =>
    e.slack
      .callsTo('views.publish')
      .slice(after)
      .find((c) => c.params.user_id === user && (!saying || JSON.stringify(c.params.view).includes(saying))),
  );
  const view = call.params.view as Record<string, unknown>;
  const answer = call.response.view as { id: string; hash: string };
  return { id: answer.id, hash: answer.hash, view, blocks: view.blocks as Block[] };
}

/** `user` opens the Home tab; resolves with the view the bot published for them. */
async function openHome(user: string): Promise<Home> {
  const before = e.slack.callsTo('views.publish').length;
  const delivered = await e.slack.openHome(user);
  expect(delivered.status).toBe(200);
  return publishedFor(user, before);
}

/** Clicks a button of `user`'s Home view, as Slack sends it. */
function clickInHome(user: string, home: Home, actionId: string, requestId: string) {
  return postToApp(
    e.eventsUrl,
    SIGNING_SECRET,
    interactionBody(
      homeActionPayload({
        user,
        view: home.view,
        viewId: home.id,
        hash: home.hash,
        actionId,
        value: requestId,
        triggerId: e.slack.issueTriggerId(user),
      }),
    ),
  );
}

const textOf = (home: Home) =>
  home.blocks
    .map(
      (b) =>
        b.text?.text ??
        (b.elements ?? []).map((x) => (typeof x.text === 'string' ? x.text : (x.text?.text ?? ''))).join(' '),
    )
    .join('\n');
/** The request ids of the Approve buttons on a Home view. */
const approvable = (home: Home) =>
  home.blocks.flatMap((b) =>
    (b.elements ?? []).filter((x) => x.action_id === ACTION_IDS.approve).map((x) => x.value),
  );

async function submitCustomer(user: string, ip: string): Promise<ResourceRequest & { messageTs: string }> {
  const modal = await e.openModal(user, 'customer');
  const answer = await e.submit(user, modal, {
    RegionId: { option: 'cn-shanghai' },
    IpAddress: ip,
    Name: 'branch',
  });
  expect(answer.status).toBe(200);
  const [latest] = await e.bot.store.recentInChannel(CHANNEL, 1);
  if (!latest) throw new Error('no request stored');
  return e.requestMessage(latest.id);
}

describe('the Home tab', () => {
  let asked: ResourceRequest & { messageTs: string };
  let leadsOwn: ResourceRequest & { messageTs: string };

  it('lists for each person what they may approve now, with the thread’s buttons, and not what they may not', async () => {
    asked = await submitCustomer(PEOPLE.requester, '47.100.1.1');
    leadsOwn = await submitCustomer(PEOPLE.lead1, '47.100.1.2');

    const lead1 = await openHome(PEOPLE.lead1);
    expect(lead1.view.type).toBe('home');
    // Not their own request: self-approval is off.
    expect(approvable(lead1)).toEqual([asked.id]);
    const decide = lead1.blocks.find((b) => b.block_id === `home_decide_${asked.id}`);
    expect(decide?.elements?.map((x) => [x.action_id, x.value])).toEqual([
      [ACTION_IDS.approve, asked.id],
      [ACTION_IDS.reject, asked.id],
    ]);
    const summary = textOf(lead1);
    expect(summary).toContain('Waiting for your approval');
    expect(summary).toContain(`asked by <@${PEOPLE.requester}> in <#${CHANNEL}>`);
    expect(summary).toContain('47.100.1.1');
    // Their own request is under theirs, with its thread and the thread's Cancel.
    expect(summary).toContain('Your requests');
    const own = lead1.blocks.find((b) => b.text?.text.includes(leadsOwn.id));
    expect(own?.accessory).toMatchObject({ action_id: ACTION_IDS.cancel, value: leadsOwn.id });
    expect(own?.text?.text).toMatch(/<https:\/\/network-team\.slack\.com\/archives\/C0NETOPS\/p\d+\|thread>/);

    // The other lead may approve both, and reads Home in Chinese (Slack locale zh-CN).
    const lead2 = await openHome(PEOPLE.lead2);
    expect(approvable(lead2).sort()).toEqual([asked.id, leadsOwn.id].sort());
    expect(textOf(lead2)).toContain('待您审批');

    // The requester may approve nothing, and sees their request waiting.
    const requester = await openHome(PEOPLE.requester);
    expect(approvable(requester)).toEqual([]);
    expect(textOf(requester)).toContain('Nothing waits for your approval.');
    expect(textOf(requester)).toContain(asked.id);
  });

  it('shows an outsider nothing to approve, and refuses a forged Home click on the Home tab', async () => {
    const home = await openHome(PEOPLE.outsider);
    expect(approvable(home)).toEqual([]);
    expect(textOf(home)).toContain('Nothing waits for your approval.');
    const before = e.slack.callsTo('views.publish').length;
    const answer = await clickInHome(PEOPLE.outsider, home, ACTION_IDS.approve, asked.id);
    expect(answer.status).toBe(200);
    const refused = await publishedFor(PEOPLE.outsider, before);
    expect(textOf(refused)).toContain('Only the team leads configured as approvers can approve');
    expect((await e.bot.store.mustGet(asked.id)).state).toBe('pending_approval');
  });

  it('approves from Home exactly once, however many clicks, updates the thread’s message and republishes Home', async () => {
    const home = await openHome(PEOPLE.lead1);
    const before = e.slack.callsTo('views.publish').length;
    expect((await clickInHome(PEOPLE.lead1, home, ACTION_IDS.approve, asked.id)).status).toBe(200);
    // Home published again for lead1, saying what their click did.
    const again = await publishedFor(PEOPLE.lead1, before);
    expect(textOf(again)).toContain(`Your approval of \`${asked.id}\` is recorded.`);
    // A second click from Home and one from the thread, at once: both refused, nothing more made.
    const beforeRefusal = e.slack.callsTo('views.publish').length;
    const answers = await Promise.all([
      clickInHome(PEOPLE.lead1, home, ACTION_IDS.approve, asked.id),
      e.click(PEOPLE.lead2, ACTION_IDS.approve, asked),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const done = await e.waitForState(asked.id, ['succeeded']);
    expect(done.cloud.resourceId).toMatch(/^cgw-/);
    expect(done.approvals.map((a) => a.userId)).toEqual([PEOPLE.lead1]);
    const creates = e.sim.requests().filter((r) => r.action === 'CreateCustomerGateway');
    expect(creates.map((r) => r.params.ClientToken)).toEqual([asked.id]);

    // The request message in the channel was edited by the existing path: no buttons left.
    const message = e.slack.workspace.findMessage(CHANNEL, asked.messageTs);
    expect(JSON.stringify(message?.blocks)).not.toContain(ACTION_IDS.approve);
    expect(message?.edited).toBeDefined();
    // The thread's refusal went to lead2 privately, in the channel, as always.
    await e.slack.waitFor(() =>
      e.slack.workspace.ephemerals.find((m) => m.user === PEOPLE.lead2 && m.text.includes(asked.id)),
    );
    // The second click from Home is answered on Home: the request is decided already.
    await publishedFor(PEOPLE.lead1, beforeRefusal, 'it can no longer be approved');
    const latest = await openHome(PEOPLE.lead1);
    expect(approvable(latest)).toEqual([]);

    // A decision in the thread publishes the decider's Home again too.
    const beforeCancel = e.slack.callsTo('views.publish').length;
    await e.click(PEOPLE.lead1, ACTION_IDS.cancel, leadsOwn);
    const afterCancel = await publishedFor(PEOPLE.lead1, beforeCancel);
    expect(textOf(afterCancel)).toContain(`You cancelled \`${leadsOwn.id}\`.`);
  });

  it('says how many requests it left out when more wait than a Home view can hold', async () => {
    const template = await e.bot.store.mustGet(leadsOwn.id);
    const many = 60;
    for (let i = 0; i < many; i++) {
      const now = Date.now();
      const created = await e.bot.store.create(
        {
          ...template,
          id: newRequestId(new Date(now), `home-many-${i}`),
          params: { ...template.params, IpAddress: `47.101.0.${i + 1}` },
          requester: { userId: PEOPLE.requester },
          state: 'pending_approval',
          version: 0,
          createdAt: now,
          updatedAt: now,
          expiresAt: now + 3_600_000,
          approvals: [],
        },
        PEOPLE.requester,
      );
      expect(created.ok).toBe(true);
    }
    const home = await openHome(PEOPLE.lead1);
    expect(home.blocks.length).toBeLessThanOrEqual(100);
    const shown = approvable(home).length;
    expect(shown).toBeGreaterThan(10);
    expect(shown).toBeLessThan(many);
    expect(textOf(home)).toContain(`${many - shown} more requests waiting for you, not shown here`);

    // The requester's own list is capped as well, and says how many older ones it left out.
    const requester = await openHome(PEOPLE.requester);
    expect(textOf(requester)).toMatch(/\d+ older requests not shown/);
    // A thread's link is asked of Slack once, however often Home is published.
    const asks = e.slack.callsTo('chat.getPermalink').filter((c) => c.params.message_ts === asked.messageTs);
    expect(asks).toHaveLength(1);
  });

  it('asks for a reason when Reject is clicked on Home, then rejects and says so on Home', async () => {
    const home = await openHome(PEOPLE.lead2);
    const [target] = approvable(home);
    if (!target) throw new Error('nothing to reject');
    const opened = e.slack.callsTo('views.open').length;
    await clickInHome(PEOPLE.lead2, home, ACTION_IDS.reject, target);
    const call = await e.slack.waitFor(() => e.slack.callsTo('views.open')[opened]);
    const modal = {
      view: call.params.view as Record<string, unknown>,
      viewId: String((call.response.view as { id: string }).id),
    };
    expect(modal.view.callback_id).toBe('reject_reason');
    const before = e.slack.callsTo('views.publish').length;
    expect((await e.submit(PEOPLE.lead2, modal, { reason: '预算未批' })).status).toBe(200);
    expect((await e.bot.store.mustGet(target)).state).toBe('rejected');
    const after = await publishedFor(PEOPLE.lead2, before);
    expect(textOf(after)).toContain(`您已拒绝 \`${target}\``);
    expect(approvable(after)).not.toContain(target);
  });

  it('lists the tunnels down in the person’s channels, with when they were seen so', async () => {
    // A connection the bot made, last recorded with a tunnel down, in a channel only lead1 is in.
    const channel = e.slack.workspace.channels.get(OTHER_CHANNEL);
    if (channel) channel.members = [PEOPLE.lead1];
    const seenAt = Date.now() - 60_000;
    const template = await e.bot.store.mustGet(asked.id);
    const connection: ResourceRequest = {
      ...template,
      id: newRequestId(new Date(), 'home-connection'),
      resource: 'vpn_connection',
      params: { RegionId: 'cn-shanghai', VpnGatewayId: 'vpn-home0000000000000000' },
      channelId: OTHER_CHANNEL,
      state: 'succeeded',
      version: 0,
      updatedAt: seenAt,
      settle: { until: seenAt, outcome: 'unsettled', at: seenAt },
      cloud: {
        resourceId: 'vco-home0000000000000000',
        facts: {
          Tunnel1: 'tun-1 · cgw-1 · ipsec_sa_established',
          Tunnel2: 'tun-2 · cgw-1 · ike_sa_not_established',
        },
        requestIds: [],
      },
    };
    expect((await e.bot.store.create(connection, 'system:test')).ok).toBe(true);

    const lead1 = await openHome(PEOPLE.lead1);
    const down = lead1.blocks.find((b) => b.text?.text.includes('vco-home0000000000000000'));
    expect(down?.text?.text).toContain(
      `in <#${OTHER_CHANNEL}>, as last seen <!date^${Math.floor(seenAt / 1000)}^`,
    );
    expect(down?.text?.text).toContain('Tunnel 2: tun-2 · cgw-1 · ike_sa_not_established');
    expect(down?.text?.text).not.toContain('Tunnel 1');
    // Not in that channel: not on their Home.
    expect(textOf(await openHome(PEOPLE.requester))).not.toContain('vco-home0000000000000000');
    expect(e.slack.callsTo('users.conversations').length).toBeGreaterThan(0);

    // An install without the scope to read channels: the rest of Home, and why this part is missing.
    e.slack.failNext('users.conversations', { error: 'missing_scope' });
    const unreadable = textOf(await openHome(PEOPLE.lead1));
    expect(unreadable).toContain('Slack did not say which channels you are in (`missing_scope`)');
    expect(unreadable).not.toContain('vco-home0000000000000000');
    expect(unreadable).toContain('Your requests');
  });

  it('lists and acts on requests of the person’s channels only, as a thread’s buttons are clicked only by those who see it', async () => {
    const channel = e.slack.workspace.channels.get(OTHER_CHANNEL);
    if (channel) channel.members = [PEOPLE.lead1, PEOPLE.requester];
    const modal = await e.openModal(PEOPLE.requester, 'customer', OTHER_CHANNEL);
    const answer = await e.submit(PEOPLE.requester, modal, {
      RegionId: { option: 'cn-shanghai' },
      IpAddress: '47.100.9.9',
    });
    expect(answer.text).toBe('');
    const [elsewhere] = await e.bot.store.recentInChannel(OTHER_CHANNEL, 1);
    if (!elsewhere) throw new Error('no request stored');
    await e.requestMessage(elsewhere.id);

    // lead2 may approve by the base rule, but is not in that channel: not listed, and a click refused.
    const lead2 = await openHome(PEOPLE.lead2);
    expect(approvable(lead2)).not.toContain(elsewhere.id);
    const before = e.slack.callsTo('views.publish').length;
    expect((await clickInHome(PEOPLE.lead2, lead2, ACTION_IDS.approve, elsewhere.id)).status).toBe(200);
    const told = await publishedFor(PEOPLE.lead2, before, OTHER_CHANNEL);
    expect(textOf(told)).toContain(`<#${OTHER_CHANNEL}>`);
    expect((await e.bot.store.mustGet(elsewhere.id)).state).toBe('pending_approval');
    await expect
      .poll(
        async () =>
          (await e.bot.store.auditTrail(elsewhere.id)).filter((x) => x.refused === 'not_in_channel').length,
      )
      .toBe(1);

    // lead1 is in it: approved from Home (listed among many waiting by now: the view's limit cuts it).
    const lead1 = await openHome(PEOPLE.lead1);
    expect((await clickInHome(PEOPLE.lead1, lead1, ACTION_IDS.approve, elsewhere.id)).status).toBe(200);
    await e.waitForState(elsewhere.id, ['approved', 'creating', 'succeeded']);
  });
});
