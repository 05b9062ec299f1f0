import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkMessage,
  checkOptionsAnswer,
  checkView,
  type FakeSlack,
  type SlackRefusal,
  startFakeSlack,
} from '../../../src/sandbox/fake-slack/index.js';
import { fitText } from '../../../src/text/fit.js';

// The limits are written out here as Slack documents them, not read from the code under test.
const x = (n: number) => 'x'.repeat(n);
const plain = (text: string) => ({ type: 'plain_text', text });
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (text: string, extra: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id: 'go',
  text: plain(text),
  ...extra,
});
const options = (n: number, textLength = 5) =>
  Array.from({ length: n }, (_, i) => ({ text: plain(x(textLength)), value: `v${i}` }));
const modal = (extra: Record<string, unknown> = {}, blocks: unknown[] = [section('hello')]) => ({
  type: 'modal',
  callback_id: 'cb',
  title: plain('Title'),
  submit: plain('Submit'),
  close: plain('Close'),
  blocks,
  ...extra,
});
const input = (element: Record<string, unknown>) => ({
  type: 'input',
  block_id: 'b',
  label: plain('Label'),
  element,
});

function pointers(refusal: SlackRefusal | undefined): string[] {
  return refusal && 'problems' in refusal ? refusal.problems.map((p) => p.pointer) : [];
}

describe('the fake Slack refuses messages as Slack does', () => {
  const cases: [string, (n: number) => unknown[], number, string][] = [
    ['section text', (n) => [section(x(n))], 3000, '/blocks/0/text/text'],
    ['header text', (n) => [{ type: 'header', text: plain(x(n)) }], 150, '/blocks/0/text/text'],
    ['block_id', (n) => [{ ...section('a'), block_id: x(n) }], 255, '/blocks/0/block_id'],
    [
      'action_id',
      (n) => [{ type: 'actions', elements: [{ ...button('b'), action_id: x(n) }] }],
      255,
      '/blocks/0/elements/0/action_id',
    ],
    [
      'button text',
      (n) => [{ type: 'actions', elements: [button(x(n))] }],
      75,
      '/blocks/0/elements/0/text/text',
    ],
    [
      'elements per actions block',
      (n) => [{ type: 'actions', elements: Array.from({ length: n }, () => button('b')) }],
      25,
      '/blocks/0/elements',
    ],
    [
      'options of a select',
      (n) => [{ ...section('a'), accessory: { type: 'static_select', action_id: 's', options: options(n) } }],
      100,
      '/blocks/0/accessory/options',
    ],
    [
      'option text',
      (n) => [{ ...section('a'), accessory: { type: 'overflow', action_id: 'o', options: options(1, n) } }],
      75,
      '/blocks/0/accessory/options/0/text/text',
    ],
    [
      'confirm title',
      (n) => [{ type: 'actions', elements: [button('b', { confirm: { title: plain(x(n)) } })] }],
      100,
      '/blocks/0/elements/0/confirm/title/text',
    ],
    [
      'confirm text',
      (n) => [{ type: 'actions', elements: [button('b', { confirm: { text: plain(x(n)) } })] }],
      300,
      '/blocks/0/elements/0/confirm/text/text',
    ],
    [
      'confirm button',
      (n) => [{ type: 'actions', elements: [button('b', { confirm: { confirm: plain(x(n)) } })] }],
      30,
      '/blocks/0/elements/0/confirm/confirm/text',
    ],
    [
      'confirm deny',
      (n) => [{ type: 'actions', elements: [button('b', { confirm: { deny: plain(x(n)) } })] }],
      30,
      '/blocks/0/elements/0/confirm/deny/text',
    ],
    ['blocks per message', (n) => Array.from({ length: n }, () => section('a')), 50, '/blocks'],
  ];
  it.each(cases)('%s: takes %#, refuses one more with the failing path', (_name, build, limit, pointer) => {
    expect(checkMessage({ text: 't', blocks: build(limit) })).toBeUndefined();
    const refusal = checkMessage({ text: 't', blocks: build(limit + 1) });
    expect(refusal?.error).toBe('invalid_blocks');
    expect(pointers(refusal)).toEqual([pointer]);
  });

  it('refuses a text over 40,000 characters with msg_too_long, and blocks that are not an array', () => {
    expect(checkMessage({ text: x(40_000) })).toBeUndefined();
    expect(checkMessage({ text: x(40_001) })).toEqual({ error: 'msg_too_long' });
    expect(pointers(checkMessage({ text: 't', blocks: 'nope' }))).toEqual(['/blocks']);
    expect(pointers(checkMessage({ text: 't', blocks: [{ text: 'no type' }] }))).toEqual(['/blocks/0']);
  });

  it('reports every failing field, not only the first', () => {
    const refusal = checkMessage({ text: 't', blocks: [section(x(3001)), section('ok'), section(x(4000))] });
    expect(pointers(refusal)).toEqual(['/blocks/0/text/text', '/blocks/2/text/text']);
  });
});

describe('the fake Slack refuses views as Slack does', () => {
  const cases: [string, (n: number) => unknown, number, string][] = [
    ['title', (n) => modal({ title: plain(x(n)) }), 24, '/view/title/text'],
    ['submit', (n) => modal({ submit: plain(x(n)) }), 24, '/view/submit/text'],
    ['close', (n) => modal({ close: plain(x(n)) }), 24, '/view/close/text'],
    ['callback_id', (n) => modal({ callback_id: x(n) }), 255, '/view/callback_id'],
    ['private_metadata', (n) => modal({ private_metadata: x(n) }), 3000, '/view/private_metadata'],
    [
      'blocks per modal',
      (n) =>
        modal(
          {},
          Array.from({ length: n }, () => section('a')),
        ),
      100,
      '/view/blocks',
    ],
    [
      'options of radio buttons',
      (n) => modal({}, [input({ type: 'radio_buttons', action_id: 'r', options: options(n) })]),
      100,
      '/view/blocks/0/element/options',
    ],
    [
      'plain_text_input max_length',
      (n) => modal({}, [input({ type: 'plain_text_input', action_id: 'p', max_length: n })]),
      3000,
      '/view/blocks/0/element/max_length',
    ],
  ];
  it.each(cases)('%s: takes %#, refuses one more with the failing path', (_name, build, limit, pointer) => {
    expect(checkView(build(limit))).toBeUndefined();
    const refusal = checkView(build(limit + 1));
    expect(refusal?.error).toBe('invalid_arguments');
    expect(pointers(refusal)).toEqual([pointer]);
  });

  it('refuses an empty title, a max_length of 0, and a view over 250 kB', () => {
    expect(pointers(checkView(modal({ title: plain('') })))).toEqual(['/view/title/text']);
    const zero = modal({}, [input({ type: 'plain_text_input', action_id: 'p', max_length: 0 })]);
    expect(pointers(checkView(zero))).toEqual(['/view/blocks/0/element/max_length']);
    const huge = modal(
      {},
      Array.from({ length: 90 }, () => section(x(2900))),
    );
    expect(checkView(huge)).toEqual({ error: 'view_too_large' });
  });

  it('checks the options an options load answers', () => {
    expect(checkOptionsAnswer({ options: options(100, 75) })).toEqual([]);
    expect(checkOptionsAnswer({ options: options(101) }).map((p) => p.pointer)).toEqual(['/options']);
    expect(checkOptionsAnswer({ options: options(1, 76) }).map((p) => p.pointer)).toEqual([
      '/options/0/text/text',
    ]);
  });
});

describe('fitText', () => {
  it('keeps what fits and cuts the rest to the limit, ending with an ellipsis', () => {
    expect(fitText('short', 10)).toBe('short');
    expect(fitText(x(10), 10)).toBe(x(10));
    expect(fitText(x(11), 10)).toBe(`${x(9)}…`);
    expect(fitText(x(5000), 3000)).toHaveLength(3000);
  });

  it('never leaves half of a surrogate pair', () => {
    const cut = fitText(`${x(8)}😀😀😀`, 10);
    expect(cut).toBe(`${x(8)}…`);
    expect(cut.length).toBeLessThanOrEqual(10);
  });
});

describe('the fake Web API over HTTP', () => {
  let slack: FakeSlack;
  let client: WebClient;
  beforeAll(async () => {
    slack = await startFakeSlack({ workspace: { channels: [{ id: 'C1', name: 'c' }] } });
    const quiet = {
      debug() {},
      info() {},
      warn() {},
      error() {},
      setLevel() {},
      getLevel: () => LogLevel.ERROR,
      setName() {},
    };
    client = new WebClient('xoxb-fake-bot-token', {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      logger: quiet,
    });
  });
  afterAll(() => slack.close());

  it('answers invalid_blocks with the failing path in errors and response_metadata, and posts nothing', async () => {
    const refused = await client.chat
      .postMessage({ channel: 'C1', text: 'hi', blocks: [section('ok'), section(x(3001))] })
      .catch((err: { data?: Record<string, unknown> }) => err.data);
    expect(refused).toMatchObject({
      ok: false,
      error: 'invalid_blocks',
      errors: ['must be less than 3001 characters [json-pointer:/blocks/1/text/text]'],
      response_metadata: {
        messages: ['[ERROR] must be less than 3001 characters [json-pointer:/blocks/1/text/text]'],
      },
    });
    expect(slack.messages('C1')).toHaveLength(0);
  });

  it('answers msg_too_long for a text over 40,000 characters, also on chat.update', async () => {
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'hi' });
    const tooLong = await client.chat
      .update({ channel: 'C1', ts: String(posted.ts), text: x(40_001) })
      .catch((err: { data?: Record<string, unknown> }) => err.data);
    expect(tooLong).toMatchObject({ ok: false, error: 'msg_too_long' });
    expect(slack.workspace.findMessage('C1', String(posted.ts))?.text).toBe('hi');
  });

  it('refuses a view past the limits with invalid_arguments and the failing path', async () => {
    const trigger = slack.issueTriggerId('U1');
    const refused = await client.views
      .open({ trigger_id: trigger, view: modal({ title: plain(x(25)) }) as never })
      .catch((err: { data?: Record<string, unknown> }) => err.data);
    expect(refused).toMatchObject({
      ok: false,
      error: 'invalid_arguments',
      response_metadata: {
        messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'],
      },
    });
  });
});
