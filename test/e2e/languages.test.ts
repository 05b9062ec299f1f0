/**
 * Who reads a message decides its language. What is posted in the channel (the request message,
 * its thread, the result) is read by several people and speaks the configured LOCALE, whatever
 * the requester's Slack language; what one person sees alone (the modal, its field errors, an
 * ephemeral refusal, a status answer) speaks that person's. Run twice over the real bot: LOCALE
 * en with a requester whose Slack is in Chinese, and LOCALE zh-CN with an English-speaking one.
 */
import { describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../src/sandbox/fake-slack/index.js';
import { ACTION_IDS } from '../../src/slack/ids.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import { CHANNEL, type E2E, PEOPLE, useE2E } from '../support/e2e.js';

const HAN = /\p{Script=Han}/u;

/** Everything a channel message says, blocks included. */
const said = (m: FakeMessage | undefined) => `${m?.text ?? ''} ${JSON.stringify(m?.blocks ?? [])}`;

async function submitCustomer(
  e: E2E,
  user: string,
  ip: string,
): Promise<ResourceRequest & { messageTs: string }> {
  const modal = await e.openModal(user, 'customer');
  const answer = await e.submit(user, modal, { RegionId: { option: 'cn-shanghai' }, IpAddress: ip });
  expect(answer.text).toBe('');
  const [latest] = await e.bot.store.recentInChannel(CHANNEL, 1);
  if (!latest) throw new Error('no request stored');
  return e.requestMessage(latest.id);
}

/** The ephemeral text `user` got last, once there is one after `before`. */
async function toldPrivately(e: E2E, user: string, before: number): Promise<string> {
  const m = await e.slack.waitFor(() =>
    e.slack.workspace.ephemerals.slice(before).find((x) => x.user === user),
  );
  return m.text;
}

/** Approves, waits for the result, and returns every message the channel got about the request. */
async function approveAndCollect(e: E2E, request: ResourceRequest): Promise<FakeMessage[]> {
  await e.click(PEOPLE.lead1, ACTION_IDS.approve, request);
  await e.waitForState(request.id, ['succeeded']);
  const thread = () => e.slack.thread(CHANNEL, request.messageTs ?? '');
  await e.slack.waitFor(() => thread().find((m) => m.reply_broadcast));
  const root = await e.slack.waitFor(() => {
    const m = e.slack.workspace.findMessage(CHANNEL, request.messageTs ?? '');
    return m && !said(m).includes(ACTION_IDS.approve) ? m : undefined;
  });
  return [root, ...thread()];
}

describe('LOCALE en, a requester whose Slack speaks Chinese', () => {
  const e = useE2E('lang-en');

  it('posts the request, its thread and its result in English, and answers each person in their own language', async () => {
    const request = await submitCustomer(e, PEOPLE.lead2, '47.60.0.1');
    expect(request.locale).toBe('zh-CN');
    const root = e.slack.workspace.findMessage(CHANNEL, request.messageTs);
    expect(said(root)).toContain('asks for a *customer gateway* in `cn-shanghai`');
    expect(said(root)).not.toMatch(HAN);

    // lead2's Slack is in Chinese: the form, and its field errors, are in Chinese.
    const modal = await e.openModal(PEOPLE.lead2, 'customer');
    expect((modal.view.title as { text: string }).text).toBe('用户网关');
    const refused = await e.submit(PEOPLE.lead2, modal, {
      RegionId: { option: 'cn-shanghai' },
      IpAddress: '1.2.3',
    });
    expect(refused.body).toMatchObject({
      response_action: 'errors',
      errors: { IpAddress: expect.stringMatching(/^IP 地址：不是 IPv4 地址。请输入/) },
    });

    // A refusal goes to the one who clicked, in their language.
    const before = e.slack.workspace.ephemerals.length;
    await e.click(PEOPLE.outsider, ACTION_IDS.approve, request);
    expect(await toldPrivately(e, PEOPLE.outsider, before)).toMatch(
      /^Only the team leads configured as approvers/,
    );
    await e.click(PEOPLE.lead1, ACTION_IDS.cancel, request);
    expect(await toldPrivately(e, PEOPLE.lead1, before)).toMatch(/^Only the person who asked for this/);

    // The requester asks where it stands: privately, so in Chinese, while the channel stays English.
    const status = await e.command(PEOPLE.lead2, `status ${request.id}`);
    const answer = JSON.stringify(status.body);
    expect(answer).toContain('申请在 `cn-shanghai` 创建 *用户网关*');
    expect(answer).toContain('*状态：* :hourglass_flowing_sand: 等待审批');
    expect(answer).not.toContain('asks for');

    const channel = await approveAndCollect(e, request);
    expect(channel.map((m) => m.text)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^:white_check_mark: Approved by <@U0LEAD1>\. The customer gateway will be created now\.$/,
        ),
        expect.stringMatching(/^<@U0LEAD2> Customer gateway cgw-\w+ is available \(request /),
      ]),
    );
    for (const m of channel) expect(said(m), m.text).not.toMatch(HAN);
  });
});

describe('LOCALE zh-CN, a requester whose Slack speaks English', () => {
  const e = useE2E('lang-zh', { env: { LOCALE: 'zh-CN' } });

  it('posts the request, its thread and its result in Chinese, and answers each person in their own language', async () => {
    const modal = await e.openModal(PEOPLE.requester, 'customer');
    expect((modal.view.title as { text: string }).text).toBe('Customer gateway');

    const request = await submitCustomer(e, PEOPLE.requester, '47.60.0.2');
    expect(request.locale).toBe('en');
    const root = e.slack.workspace.findMessage(CHANNEL, request.messageTs);
    expect(said(root)).toContain('<@U0ASKER> 申请在 `cn-shanghai` 创建 *用户网关*。');
    expect(said(root)).not.toContain('asks for');

    const before = e.slack.workspace.ephemerals.length;
    await e.click(PEOPLE.outsider, ACTION_IDS.approve, request);
    expect(await toldPrivately(e, PEOPLE.outsider, before)).toMatch(
      /^Only the team leads configured as approvers/,
    );
    await e.click(PEOPLE.lead2, ACTION_IDS.cancel, request);
    expect(await toldPrivately(e, PEOPLE.lead2, before)).toBe(
      '只有申请人可以取消该请求。审批人可以选择拒绝。',
    );

    const status = await e.command(PEOPLE.requester, `status ${request.id}`);
    expect(JSON.stringify(status.body)).toContain('asks for a *customer gateway* in `cn-shanghai`');

    const channel = await approveAndCollect(e, request);
    expect(channel.map((m) => m.text)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^:white_check_mark: <@U0LEAD1> 已批准，即将创建用户网关。$/),
        expect.stringMatching(/^<@U0ASKER> 用户网关 cgw-\w+ 已就绪，状态为 available（请求 /),
      ]),
    );
    for (const m of channel) expect(said(m), m.text).not.toMatch(/asks for|Approved by|is available/);
  });
});
