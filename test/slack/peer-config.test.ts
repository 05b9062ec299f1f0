/**
 * The private answer that carries a device configuration, against the fake Slack Web API (which
 * refuses what Slack refuses): cut into preformatted sections of at most 3000 characters that give
 * the text back exactly; one ephemeral message where it fits 50 blocks; otherwise the person's
 * direct message, in as many messages as it needs, with a note in the channel that holds none of it.
 */
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../src/sandbox/fake-slack/index.js';
import { ACTION_IDS } from '../../src/slack/ids.js';
import { deliverPeerConfig, peerConfigMessages, preformattedSections } from '../../src/slack/peer-config.js';

const TOKEN = 'xoxb-peer-config-test';
const USER = 'U0ASKER';
let slack: FakeSlack;
let client: WebClient;

beforeAll(async () => {
  slack = await startFakeSlack({
    tokens: [TOKEN],
    workspace: { users: [{ id: USER, name: 'asker', real_name: 'Ann Asker', locale: 'en-US' }] },
  });
  client = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
});
afterAll(() => slack.close());

type Section = { type: string; text?: { type: string; text: string } };
/** The text a section shows, as the reader sees it. */
function shown(b: Section): string {
  const t = b.text?.text ?? '';
  if (b.text?.type === 'plain_text') return t;
  return t
    .replace(/^```\n/, '')
    .replace(/\n```$/, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

/** A configuration of `lines` lines with the characters mrkdwn escapes, and one line longer than a section. */
const configuration = (lines: number) =>
  [
    ...Array.from({ length: lines }, (_, i) => `    child-${i} { local_ts = 10.${i % 250}.0.0/16 # <&> }`),
    'x'.repeat(7000),
  ].join('\n');

describe('preformatted sections', () => {
  it('are at most 3000 characters each and give the text back exactly, a fence inside shown as plain text', () => {
    const text = `${configuration(200)}\nsecret = "ab\`\`\`cd"`;
    const sections = preformattedSections(text) as Section[];
    expect(sections.length).toBeGreaterThan(3);
    for (const s of sections) expect(s.text?.text.length).toBeLessThanOrEqual(3000);
    // Cut between lines, or inside the one line that is longer than a section.
    expect(
      sections
        .map(shown)
        .join('\n')
        .replaceAll(/x\n(?=x)/g, 'x'),
    ).toBe(text);
    expect(sections.at(-1)?.text?.type).toBe('plain_text');
  });
});

describe('the private answer', () => {
  const answer = (text: string) => ({
    requestId: 'gw-20261207-abcdefghjk',
    target: 'vco-1',
    format: 'strongswan' as const,
    text,
    locale: 'en' as const,
  });

  it('is one ephemeral message with the format select where it fits', async () => {
    const from = slack.calls.length;
    const where = await deliverPeerConfig(
      client,
      { channel: 'C0NETOPS', user: USER },
      answer(configuration(20)),
    );
    expect(where).toBe('ephemeral');
    const calls = slack.calls.slice(from);
    expect(calls.map((c) => [c.method, c.response.ok])).toEqual([['chat.postEphemeral', true]]);
    const blocks = calls[0]?.params.blocks as {
      type: string;
      block_id?: string;
      elements?: { action_id: string }[];
    }[];
    expect(blocks.at(-1)).toMatchObject({
      type: 'actions',
      block_id: 'gw-20261207-abcdefghjk',
      elements: [{ action_id: ACTION_IDS.peerConfigFormat }],
    });
    expect(String(calls[0]?.params.text)).not.toContain('child-0');
  });

  it('goes to the direct message in several messages when it needs more than 50 blocks', async () => {
    const text = configuration(6000);
    const parts = peerConfigMessages(answer(text));
    expect(parts.length).toBeGreaterThan(1);
    const from = slack.calls.length;
    const where = await deliverPeerConfig(client, { channel: 'C0NETOPS', user: USER }, answer(text));
    expect(where).toBe('direct');
    const calls = slack.calls.slice(from);
    expect(calls.every((c) => c.response.ok === true)).toBe(true);
    expect(calls[0]).toMatchObject({ method: 'conversations.open', params: { users: USER } });
    const dm = (calls[0]?.response.channel as { id: string } | undefined)?.id;
    const posts = calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts.map((c) => c.params.channel)).toEqual(parts.map(() => dm));
    for (const p of posts) expect((p.params.blocks as unknown[]).length).toBeLessThanOrEqual(50);
    const sections = posts
      .flatMap((p) => p.params.blocks as Section[])
      .filter((b) => b.text?.text.startsWith('```'));
    expect(
      sections
        .map(shown)
        .join('\n')
        .replaceAll(/x\n(?=x)/g, 'x'),
    ).toBe(text);
    // The channel hears only where it went.
    const note = calls.filter((c) => c.method === 'chat.postEphemeral');
    expect(note).toHaveLength(1);
    expect(String(note[0]?.params.text)).toMatch(/sent it to you in a direct message/);
    expect(JSON.stringify(note[0]?.params)).not.toContain('child-');
    expect(slack.workspace.channels.get('C0NETOPS')?.messages ?? []).toEqual([]);
  });
});
