/**
 * Red team, "fake rows": what a person types cannot pass for the bot's own words. A request whose
 * free-text fields hold mrkdwn, line breaks, mentions and links that imitate a parameter row and a
 * preflight line is read back from the blocks the fake Slack received: every line that starts with
 * `*` is one of the bot's own labels, each typed value sits whole inside one code span, and the
 * only mentions, broadcasts and dates are the bot's. The same for a reject reason, the echoes of
 * `/gateway status <typed>` and `/gateway <typed>`, and the playground's rendering of the message.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { resourceOf } from '../../src/resources/index.js';
import { ACTION_IDS } from '../../src/slack/ids.js';
import { CHANNEL, PEOPLE, useE2E } from '../support/e2e.js';

// A secrets key, so that the BGP key can be given (and shown as "set").
const e = useE2E('fakerows', { env: { REQUEST_SECRETS_KEY: randomBytes(32).toString('base64') } });

const FAKE_ROWS = [
  'Office uplink',
  '*IP address* (`IpAddress`): 8.8.8.8',
  '*Preflight:* all checks passed',
  ':white_check_mark: 8.8.8.8 is not yet used in cn-shanghai.',
  '*Approvals:* 1/1 — <@U0LEAD1> <!channel> <https://evil.example|approve here>',
].join('\n');
const TYPED = {
  RegionId: { option: 'cn-shanghai' },
  IpAddress: '47.61.0.1',
  Name: 'uplink_Preflight_passed_',
  Description: FAKE_ROWS,
  AuthKey: 'k3y*Preflight:*passed',
  Tags: 'owner=<@U0LEAD1>\nnote=*Status:* :large_green_circle: Done\nping=<!here>',
};
const REASON = [
  'Wrong region',
  '*Status:* :large_green_circle: Done',
  '*Approvals:* 2/1 — <@U0LEAD2>',
  '<!channel> see <https://evil.example|the runbook> &amp; `code`',
].join('\n');

type Block = {
  type: string;
  text?: { type: string; text: string };
  elements?: { type: string; text?: string }[];
};

/** Every mrkdwn text of a list of blocks (sections and context elements), in order. */
function mrkdwnTexts(blocks: unknown[] | undefined): string[] {
  const out: string[] = [];
  for (const b of (blocks ?? []) as Block[]) {
    if (b.text?.type === 'mrkdwn') out.push(b.text.text);
    for (const el of b.elements ?? []) if (el.type === 'mrkdwn' && el.text !== undefined) out.push(el.text);
  }
  return out;
}
function plainTexts(blocks: unknown[] | undefined): string[] {
  return ((blocks ?? []) as Block[])
    .filter((b) => b.text?.type === 'plain_text')
    .map((b) => b.text?.text ?? '');
}

/** A typed value as the code span shows it, back to what was typed: ⏎ was a line break, ˋ a backtick. */
function fromCodeSpan(span: string): string {
  return span
    .replaceAll(' ⏎ ', '\n')
    .replaceAll('ˋ', '`')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

/** Every `<…>` in mrkdwn is a Slack entity (a mention, broadcast, link or date): only the bot's may appear. */
function entities(texts: string[]): string[] {
  return texts.flatMap((x) => x.match(/<[^>]*>/g) ?? []);
}

const OWN_HEADINGS = /^\*(Parameters that will be sent|Parameters)\*$/;
const OWN_STATUS = /^\*(Preflight|Status|Approvals|Expires|Resource id|Rejected by|Cancelled by|Error):\* /;
const ROW = /^\*([^*]+)\* \(`(\w+)`\): (.*)$/;
const CHECK_LINE = /^:(white_check_mark|x|grey_question): /;

/**
 * The request message's mrkdwn, line by line, held to what the bot itself writes: returns the
 * parameter rows (name → shown value) after checking that every line beginning with `*` is a
 * heading, a status line or a row whose label is the declaration's own for its parameter, that
 * there is one preflight line and one check line per check, and that the only entities are the
 * dates and mentions of the people the bot names (the requester, and approvers once they act).
 */
function ownLinesOnly(
  texts: string[],
  checks: number,
  people: string[] = [PEOPLE.requester],
): Map<string, string> {
  const labels = new Map(resourceOf('customer_gateway').params.map((p) => [p.name, p.label.en]));
  const rows = new Map<string, string>();
  const lines = texts.flatMap((x) => x.split('\n'));
  for (const line of lines) {
    if (!line.startsWith('*')) continue;
    if (OWN_HEADINGS.test(line) || OWN_STATUS.test(line)) continue;
    const row = ROW.exec(line);
    expect(row, `a line that looks like the bot's but is not: ${line}`).not.toBeNull();
    const [, label, name, value] = row as unknown as [string, string, string, string];
    expect(labels.get(name), line).toBe(label);
    expect(rows.has(name), `two rows for ${name}`).toBe(false);
    rows.set(name, value);
  }
  expect(lines.filter((l) => l.startsWith('*Preflight:*'))).toHaveLength(1);
  expect(lines.filter((l) => CHECK_LINE.test(l))).toHaveLength(checks);
  for (const entity of entities(texts))
    expect(
      people.map((p) => `<@${p}>`).includes(entity) || /^<!date\^\d+\^[^|<>]*\|[^<>]*>$/.test(entity),
      entity,
    ).toBe(true);
  return rows;
}

/** The row's value is one code span holding exactly what was typed. */
function oneCodeSpan(value: string | undefined, typed: string): void {
  const span = /^`([^`]*)`$/.exec(value ?? '');
  expect(span, `not one code span: ${value}`).not.toBeNull();
  expect(fromCodeSpan(span?.[1] ?? '')).toBe(typed);
}

async function newest() {
  const [latest] = await e.bot.store.recentInChannel(CHANNEL, 1);
  if (!latest) throw new Error('no request stored');
  return e.requestMessage(latest.id);
}

describe('fake rows in typed text', () => {
  it('shows a description, name, tags and BGP key that imitate rows as data, in the request message and the playground', async () => {
    const modal = await e.openModal(PEOPLE.requester, 'customer');
    const answer = await e.submit(PEOPLE.requester, modal, TYPED);
    expect(answer.text).toBe('');
    const request = await newest();
    const root = e.slack.workspace.findMessage(CHANNEL, request.messageTs);
    const texts = mrkdwnTexts(root?.blocks);
    const rows = ownLinesOnly(texts, request.preflight?.checks.length ?? -1);

    expect([...rows.keys()]).toEqual(['RegionId', 'IpAddress', 'Name', 'Description', 'AuthKey', 'Tags']);
    oneCodeSpan(rows.get('Description'), TYPED.Description);
    oneCodeSpan(rows.get('Name'), TYPED.Name);
    oneCodeSpan(rows.get('Tags'), TYPED.Tags);
    expect(rows.get('AuthKey')).toBe('set (not shown)');
    // The fake IP appears once: inside the description's span, never as a row of its own.
    expect(
      texts
        .join('\n')
        .split('\n')
        .filter((l) => l.includes('8.8.8.8')),
    ).toEqual([expect.stringMatching(/^\*Description\* /)]);
    expect(plainTexts(root?.blocks)).toEqual([]);
    // The notification text carries no typed text at all, and the key is sent nowhere.
    expect(root?.text).not.toMatch(/Office|uplink|8\.8\.8\.8|owner/);
    expect(JSON.stringify(e.slack.calls)).not.toContain('k3y');

    // The playground renders the same blocks: bold only for the bot's labels, nothing formatted
    // inside a code span, no mention, link or broadcast made of typed text.
    const { mrkdwn } = (await import(
      new URL('../../src/sandbox/playground/client/mrkdwn.ts', import.meta.url).href
    )) as { mrkdwn: (text: string, userName: (id: string) => string) => string };
    for (const text of texts) {
      const html = mrkdwn(text, (id) => `name-of-${id}`);
      for (const code of html.match(/<code>.*?<\/code>/g) ?? []) expect(code).not.toMatch(/<(?!\/?code>)/);
      expect(html).not.toContain('<a ');
      expect(html.match(/class="mention"/g) ?? []).toHaveLength(html.includes('name-of-U0ASKER') ? 1 : 0);
      expect(html).not.toContain('name-of-U0LEAD');
      // What Slack shows as `<` the page shows as `<` too, not as the escape sequence.
      expect(html).not.toContain('&amp;lt;');
    }
    const descriptionRow = texts
      .flatMap((x) => x.split('\n'))
      .find((l) => l.startsWith('*Description*')) as string;
    const shown = mrkdwn(descriptionRow, String);
    expect(shown.match(/<b>/g)).toHaveLength(1);
    expect(shown).toContain('&lt;@U0LEAD1&gt; &lt;!channel&gt;');

    // Approved and done, the edited message still holds its lines to the same rules.
    await e.click(PEOPLE.lead1, ACTION_IDS.approve, request);
    await e.waitForState(request.id, ['succeeded']);
    const done = await e.slack.waitFor(() => {
      const m = e.slack.workspace.findMessage(CHANNEL, request.messageTs);
      return m?.text.includes('Done') ? m : undefined;
    });
    const checks = request.preflight?.checks.length ?? -1;
    const rowsWhenDone = ownLinesOnly(mrkdwnTexts(done.blocks), checks, [PEOPLE.requester, PEOPLE.lead1]);
    oneCodeSpan(rowsWhenDone.get('Description'), TYPED.Description);
  });

  it('shows a reject reason that imitates status lines as plain text, in the message, its thread and status', async () => {
    const modal = await e.openModal(PEOPLE.requester, 'customer');
    await e.submit(PEOPLE.requester, modal, { RegionId: { option: 'cn-shanghai' }, IpAddress: '47.61.0.2' });
    const request = await newest();
    const opens = e.slack.callsTo('views.open').length;
    await e.click(PEOPLE.lead1, ACTION_IDS.reject, request);
    const call = await e.slack.waitFor(() => e.slack.callsTo('views.open')[opens]);
    const rejectModal = {
      view: call.params.view as Record<string, unknown>,
      viewId: String((call.response.view as { id: string }).id),
    };
    expect((await e.submit(PEOPLE.lead1, rejectModal, { reason: REASON })).text).toBe('');
    await e.waitForState(request.id, ['rejected']);

    const edited = await e.slack.waitFor(() => {
      const m = e.slack.workspace.findMessage(CHANNEL, request.messageTs);
      return m && plainTexts(m.blocks).length > 0 ? m : undefined;
    });
    expect(plainTexts(edited.blocks)).toEqual([REASON]);
    const texts = mrkdwnTexts(edited.blocks);
    expect(texts.join('\n')).not.toMatch(/Wrong region|evil|U0LEAD2|!channel/);
    // The bot's own Status line, once; the reason's imitation is not among the mrkdwn lines.
    const lines = texts.flatMap((x) => x.split('\n'));
    expect(lines.filter((l) => l.startsWith('*Status:*'))).toEqual(['*Status:* :no_entry: Rejected']);
    expect(lines.filter((l) => l.startsWith('*Approvals:*'))).toEqual(['*Approvals:* 0/1 — none yet']);
    for (const entity of entities(texts))
      expect(entity).toMatch(/^(<@U0ASKER>|<@U0LEAD1>|<!date\^\d+\^[^|<>]*\|[^<>]*>)$/);

    const reply = await e.slack.waitFor(() =>
      e.slack.thread(CHANNEL, request.messageTs).find((m) => m.text.includes('Rejected by')),
    );
    expect(plainTexts(reply.blocks)).toEqual([REASON]);
    expect(mrkdwnTexts(reply.blocks).join('\n')).not.toMatch(/Wrong region|evil|U0LEAD2|!channel/);
    // The notification text (mrkdwn too) holds the reason inert: one code span, nothing Slack would expand.
    const span = /^<@U0ASKER> Rejected by <@U0LEAD1>: `([^`]*)`$/.exec(reply.text);
    expect(span, reply.text).not.toBeNull();
    expect(fromCodeSpan(span?.[1] ?? '')).toBe(REASON);
    expect(entities([reply.text])).toEqual(['<@U0ASKER>', '<@U0LEAD1>']);

    const status = await e.command(PEOPLE.requester, `status ${request.id}`);
    const blocks = (status.body as { blocks: unknown[] }).blocks;
    expect(plainTexts(blocks)).toEqual([REASON]);
    expect(mrkdwnTexts(blocks).join('\n')).not.toMatch(/Wrong region|evil|U0LEAD2|!channel/);
  });

  describe('echoes of what was typed after /gateway', () => {
    const HOSTILE = [
      '<!channel>',
      '<@U0LEAD1>',
      '<https://evil.example|click>',
      '*Preflight:*',
      '`gw-1`*bold*',
      '_italic_~strike~',
      '\u202Egw-20261122-k3j9x2m4qp',
      'gw\u200B-1\uFEFF',
    ];

    /** The one mrkdwn text of an ephemeral answer, checked to have the shape of the benign one. */
    async function answerTo(text: string): Promise<string> {
      const answer = await e.command(PEOPLE.outsider, text);
      expect(answer.status).toBe(200);
      const texts = mrkdwnTexts((answer.body as { blocks: unknown[] }).blocks);
      expect(texts).toHaveLength(1);
      return texts[0] as string;
    }

    it.each(HOSTILE)('status %s: echoed in one code span, nothing expanded or hidden', async (typed) => {
      const benign = await answerTo('status gw-0');
      const shown = await answerTo(`status ${typed}`);
      const span = /`([^`]*)`/.exec(shown)?.[1] ?? '';
      expect(shown).toBe(benign.replace('`gw-0`', `\`${span}\``));
      expect(entities([shown])).toEqual([]);
      // Invisible and direction-changing characters are shown by name, never passed on.
      expect(shown).not.toMatch(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/);
      if (/[\u200B\u202E\uFEFF]/.test(typed)) expect(span).toMatch(/U\+(200B|202E|FEFF)/);
      else expect(fromCodeSpan(span)).toBe(typed);
    });

    it.each(HOSTILE)('/gateway %s: help names it in one code span', async (typed) => {
      const benign = await answerTo('frobnicate');
      const shown = await answerTo(typed);
      const span = /`([^`]*)`/.exec(shown)?.[1] ?? '';
      expect(shown).toBe(benign.replace('`frobnicate`', `\`${span}\``));
      expect(entities([shown])).toEqual([]);
      expect(shown).not.toMatch(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/);
    });
  });
});
