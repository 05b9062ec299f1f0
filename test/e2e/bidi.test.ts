/**
 * Red team, "bidi": characters that make typed text read differently from what it is (direction
 * overrides and isolates, zero-width spaces and joiners, a byte-order mark, line and paragraph
 * separators, soft hyphens, invisible tag characters) are refused in the modal, over signed HTTP:
 * a field error naming the character by its code point, in the person's language, and nothing is
 * stored or posted.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FormValue } from '../../src/sandbox/fake-slack/index.js';
import { ACTION_IDS } from '../../src/slack/ids.js';
import { CHANNEL, type Modal, PEOPLE, useE2E } from '../support/e2e.js';

// A secrets key, so that a BGP key is taken at all and only the character is refused.
const e = useE2E('bidi', { env: { REQUEST_SECRETS_KEY: randomBytes(32).toString('base64') } });
let modal: Modal;

beforeAll(async () => {
  modal = await e.openModal(PEOPLE.requester, 'customer');
});

const CHARACTERS: [string, string][] = [
  ['a right-to-left override', '\u202E'],
  ['a left-to-right override', '\u202D'],
  ['a right-to-left isolate', '\u2067'],
  ['an Arabic letter mark', '\u061C'],
  ['a zero-width space', '\u200B'],
  ['a zero-width joiner', '\u200D'],
  ['a word joiner', '\u2060'],
  ['a byte-order mark', '\uFEFF'],
  ['a line separator', '\u2028'],
  ['a paragraph separator', '\u2029'],
  ['a soft hyphen', '\u00AD'],
  ['an invisible tag character', '\u{E0041}'],
  ['a delete control', '\u007F'],
];

/** A valid value of each field, with the character in its middle. */
const FIELDS: Record<string, (c: string) => string> = {
  Name: (c) => `Office${c}gw`,
  Description: (c) => `Office uplink${c} floor 3`,
  Tags: (c) => `team=net${c}ops`,
  AuthKey: (c) => `k3y${c}abc`,
  IpAddress: (c) => `47.62${c}.0.1`,
};
const VALID = { RegionId: { option: 'cn-shanghai' }, IpAddress: '47.62.0.9' };

const codePoint = (c: string) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Submits `values` and checks that nothing was stored or posted because of it. */
async function submitRefused(user: string, form: Modal, values: Record<string, FormValue>) {
  const stored = await e.bot.store.countInChannel(CHANNEL);
  const posted = e.slack.callsTo('chat.postMessage').length;
  const answer = await e.submit(user, form, values);
  expect(await e.bot.store.countInChannel(CHANNEL)).toBe(stored);
  expect(e.slack.callsTo('chat.postMessage')).toHaveLength(posted);
  return answer;
}

describe('invisible and direction-changing characters in typed fields', () => {
  const cases = CHARACTERS.flatMap(([what, c]) =>
    Object.keys(FIELDS).map((field) => [field, what, c] as [string, string, string]),
  );
  it.each(cases)('%s with %s: a field error naming it, nothing stored', async (field, _what, c) => {
    const value = (FIELDS[field] as (c: string) => string)(c);
    const answer = await submitRefused(PEOPLE.requester, modal, { ...VALID, [field]: value });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      response_action: 'errors',
      errors: { [field]: expect.stringContaining(`(${codePoint(c)})`) },
    });
    expect((answer.body as { errors: Record<string, string> }).errors[field]).toMatch(
      /invisible or control character/,
    );
  });

  it('names every such field at once, in Chinese for a Chinese-speaking requester', async () => {
    const chinese = await e.openModal(PEOPLE.lead2, 'customer');
    const answer = await submitRefused(PEOPLE.lead2, chinese, {
      ...VALID,
      Name: FIELDS.Name?.('\u202E') ?? '',
      Description: FIELDS.Description?.('\u200B') ?? '',
      Tags: FIELDS.Tags?.('\uFEFF') ?? '',
    });
    expect(answer.body).toEqual({
      response_action: 'errors',
      errors: {
        Name: expect.stringMatching(/不可见字符.*U\+202E/),
        Description: expect.stringMatching(/不可见字符.*U\+200B/),
        Tags: expect.stringMatching(/不可见字符.*U\+FEFF/),
      },
    });
  });

  it('takes a line break where the field is multi-line, and the same text without the character', async () => {
    const answer = await e.submit(PEOPLE.requester, modal, {
      RegionId: { option: 'cn-shanghai' },
      IpAddress: '47.62.0.10',
      Name: 'Officegw',
      Description: 'Office uplink\nfloor 3',
      Tags: 'team=netops\ncost-center=1234',
    });
    expect(answer.text).toBe('');
    const stored = await e.bot.store.recentInChannel(CHANNEL, 100);
    expect(stored.find((r) => r.params.Name === 'Officegw')?.params).toMatchObject({
      Description: 'Office uplink\nfloor 3',
      Tags: 'team=netops\ncost-center=1234',
    });
  });

  it('refuses them in a reject reason too, and the request stays waiting', async () => {
    await e.submit(PEOPLE.requester, await e.openModal(PEOPLE.requester, 'customer'), {
      RegionId: { option: 'cn-shanghai' },
      IpAddress: '47.62.0.11',
    });
    const pending = (await e.bot.store.recentInChannel(CHANNEL, 100)).find(
      (r) => r.params.IpAddress === '47.62.0.11',
    );
    const request = await e.requestMessage(pending?.id ?? '');
    const opens = e.slack.callsTo('views.open').length;
    await e.click(PEOPLE.lead1, ACTION_IDS.reject, request);
    const call = await e.slack.waitFor(() => e.slack.callsTo('views.open')[opens]);
    const reject = {
      view: call.params.view as Record<string, unknown>,
      viewId: String((call.response.view as { id: string }).id),
    };
    for (const [, c] of CHARACTERS) {
      const answer = await e.submit(PEOPLE.lead1, reject, { reason: `Wrong region${c}, use cn-hangzhou` });
      expect(answer.body).toEqual({
        response_action: 'errors',
        errors: { reason: expect.stringContaining(codePoint(c)) },
      });
    }
    expect((await e.bot.store.mustGet(request.id)).state).toBe('pending_approval');
    const multiline = await e.submit(PEOPLE.lead1, reject, { reason: 'Wrong region.\nUse cn-hangzhou.' });
    expect(multiline.text).toBe('');
    expect((await e.waitForState(request.id, ['rejected'])).rejection?.reason).toBe(
      'Wrong region.\nUse cn-hangzhou.',
    );
  });
});
