/**
 * The fake Slack's Home tab as Slack documents it: views.publish takes a `home` view for a person
 * (`user_id`), held to a Home tab's limits, replacing the one before; `app_home_opened` names the
 * person and the tab and carries the view published before; users.conversations lists a person's
 * channels, paged; chat.getPermalink links a message.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../../src/sandbox/fake-slack/index.js';

let slack: FakeSlack;
let web: WebClient;
const events: Record<string, unknown>[] = [];
const app = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    events.push(
      (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { event: Record<string, unknown> }).event,
    );
    res.writeHead(200).end();
  });
});

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

beforeAll(async () => {
  slack = await startFakeSlack({
    tokens: ['xoxb-home'],
    workspace: {
      users: [{ id: 'U1', name: 'one', real_name: 'One' }],
      channels: [
        { id: 'C1', name: 'one' },
        { id: 'C2', name: 'two', members: ['U9'] },
        { id: 'C3', name: 'three', members: ['U1'] },
      ],
    },
  });
  web = new WebClient('xoxb-home', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  slack.deliverEventsTo(`http://127.0.0.1:${(app.address() as AddressInfo).port}/slack/events`, 'secret');
});
afterAll(async () => {
  await slack.close();
  await new Promise((resolve) => app.close(resolve));
});

describe('the fake Slack’s Home tab', () => {
  it('publishes a home view for a person, replacing the one before under the same id', async () => {
    const first = await web.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [section('a')] } });
    const second = await web.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [section('b')] } });
    expect(second.view?.id).toBe(first.view?.id);
    expect(second.view?.hash).not.toBe(first.view?.hash);
    expect(slack.workspace.homes.get('U1')?.view.blocks).toEqual([section('b')]);
  });

  it('refuses what Slack refuses: 101 blocks, a modal, no person', async () => {
    const blocks = Array.from({ length: 101 }, (_, i) => section(String(i)));
    await expect(web.views.publish({ user_id: 'U1', view: { type: 'home', blocks } })).rejects.toMatchObject({
      data: {
        error: 'invalid_arguments',
        response_metadata: {
          messages: ['[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]'],
        },
      },
    });
    const modal = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'x' }, blocks: [] };
    await expect(web.views.publish({ user_id: 'U1', view: modal })).rejects.toMatchObject({
      data: { error: 'invalid_arguments' },
    });
    await expect(
      web.views.publish({ user_id: '', view: { type: 'home', blocks: [] } }),
    ).rejects.toMatchObject({ data: { error: 'invalid_arguments' } });
    expect(slack.workspace.homes.get('U1')?.view.blocks).toEqual([section('b')]);
  });

  it('sends app_home_opened with the tab and the view published before', async () => {
    const delivered = await slack.openHome('U1');
    expect(delivered.status).toBe(200);
    expect(events.at(-1)).toMatchObject({
      type: 'app_home_opened',
      user: 'U1',
      tab: 'home',
      view: { type: 'home', id: slack.workspace.homes.get('U1')?.id },
    });
  });

  it('lists the channels a person is in, page by page, and links a message', async () => {
    const first = await web.users.conversations({ user: 'U1', limit: 1 });
    expect(first.channels?.map((c) => c.id)).toEqual(['C1']);
    const cursor = first.response_metadata?.next_cursor ?? '';
    const second = await web.users.conversations({ user: 'U1', limit: 1, cursor });
    expect(second.channels?.map((c) => c.id)).toEqual(['C3']);
    expect(second.response_metadata?.next_cursor).toBe('');

    const posted = await web.chat.postMessage({ channel: 'C1', text: 'hello' });
    const link = await web.chat.getPermalink({ channel: 'C1', message_ts: posted.ts ?? '' });
    expect(link.permalink).toBe(`https://network-team.slack.com/archives/C1/p${posted.ts?.replace('.', '')}`);
    await expect(web.chat.getPermalink({ channel: 'C1', message_ts: '1.000001' })).rejects.toMatchObject({
      data: { error: 'message_not_found' },
    });
  });
});
