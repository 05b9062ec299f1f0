/**
 * A BGP key (`AuthKey`; docs/architecture.md, "Secrets at rest") goes from the modal to the create
 * call and nowhere else: not
 * into a Slack call, a log line, the audit trail, a Redis value in clear or an error, and it is
 * gone from the record once the customer gateway exists. Every value the bot leaves in Redis
 * under its prefix is read back and searched, so a new place the key could leak into is caught.
 */
import { describe, expect, it } from 'vitest';
import { parseFaults } from '../../src/sandbox/simulator/index.js';
import { ACTION_IDS } from '../../src/slack/ids.js';
import { SecretBox } from '../../src/workflow/secrets.js';
import { CHANNEL, PEOPLE, startE2E, useE2E } from '../support/e2e.js';
import { capturedLogger } from '../support/logs.js';
import { testRedis } from '../support/redis.js';

const KEY = 'Bgp!Key-7f3c9a51';
const SECRETS_KEY = Buffer.alloc(32, 9).toString('base64');
const t = testRedis('secret');
const { logger, lines } = capturedLogger();
const e = useE2E(t, {
  env: { REQUEST_SECRETS_KEY: SECRETS_KEY, LOG_LEVEL: 'trace' },
  overrides: { logger },
  conformance: true,
});

async function submit(ip: string) {
  const modal = await e.openModal(PEOPLE.requester, 'customer');
  const answer = await e.submit(PEOPLE.requester, modal, {
    RegionId: { option: 'cn-shanghai' },
    IpAddress: ip,
    Asn: '65001',
    AuthKey: KEY,
  });
  expect(answer.text).toBe('');
  const [latest] = await e.bot.store.recentInChannel(CHANNEL, 1);
  return e.requestMessage(latest?.id ?? '');
}

describe('a BGP key', () => {
  it('reaches the create call and nothing else; the customer gateway becomes available', async () => {
    const request = await submit('47.90.0.1');
    expect(request.secretNames).toEqual(['AuthKey']);
    expect(request.params).not.toHaveProperty('AuthKey');
    const root = e.slack.workspace.findMessage(CHANNEL, request.messageTs);
    expect(JSON.stringify(root?.blocks)).toContain('set (not shown)');

    await e.click(PEOPLE.lead1, ACTION_IDS.approve, request);
    const done = await e.waitForState(request.id, ['succeeded', 'failed']);
    expect(done.state).toBe('succeeded');
    await e.slack.waitFor(() => e.slack.thread(CHANNEL, request.messageTs).find((m) => m.reply_broadcast));
    // Sent once, to the cloud, with the request's other parameters.
    const creates = e.sim.requests().filter((r) => r.action === 'CreateCustomerGateway');
    expect(creates.map((r) => r.params.AuthKey)).toEqual([KEY]);
    expect(creates[0]?.params.Asn).toBe('65001');
    // Gone from the record once the gateway exists.
    expect(done.secrets).toBeUndefined();

    // And now fails on purpose, to look for it in an error too.
    e.sim.setFaults(parseFaults('CreateCustomerGateway:InvalidAuthKey=1'));
    const failing = await submit('47.90.0.2');
    await e.click(PEOPLE.lead2, ACTION_IDS.approve, failing);
    const failed = await e.waitForState(failing.id, ['succeeded', 'failed']);
    e.sim.setFaults({ rules: [], latencyMs: 0 });
    expect(failed.error?.code).toBe('InvalidAuthKey');
    expect(failed.secrets).toBeUndefined();
    await e.slack.waitFor(() => e.slack.thread(CHANNEL, failing.messageTs).find((m) => m.reply_broadcast));

    const places: Record<string, string[]> = {
      'a Slack call': e.slack.calls.map((c) => JSON.stringify(c)),
      'a log line': lines,
      'the audit trail': (await e.bot.store.auditSince(0)).map((x) => JSON.stringify(x)),
      'a Redis value': await t.everyValue(),
      'an error': [JSON.stringify(failed.error)],
      'a record': [JSON.stringify(done), JSON.stringify(failed)],
    };
    for (const [where, texts] of Object.entries(places)) {
      expect(texts.length, where).toBeGreaterThan(0);
      expect(
        texts.filter((x) => x.includes(KEY)),
        `the key in ${where}`,
      ).toEqual([]);
    }
    // The logs did record the journey (at trace level), so their silence about the key means something.
    expect(lines.some((l) => l.includes(request.id))).toBe(true);
  });

  it('is refused in the modal, saying why, when the bot has no key to keep it with', async () => {
    const other = await startE2E(`${t.prefix.slice(0, -1)}-nokey}`);
    try {
      const modal = await other.openModal(PEOPLE.requester, 'customer');
      const answer = await other.submit(PEOPLE.requester, modal, {
        RegionId: { option: 'cn-shanghai' },
        IpAddress: '47.90.0.3',
        AuthKey: KEY,
      });
      expect(answer.body).toMatchObject({
        response_action: 'errors',
        errors: { AuthKey: expect.stringMatching(/REQUEST_SECRETS_KEY/) },
      });
      expect(JSON.stringify(answer.body)).not.toContain(KEY);
    } finally {
      await other.close();
    }
  });
});

describe('a BGP key in a form asked about once (a private address)', () => {
  it('is never sent back into the form, so the form asks for it again and will not go without it', async () => {
    const modal = await e.openModal(PEOPLE.requester, 'customer');
    const form = {
      RegionId: { option: 'cn-shanghai' },
      IpAddress: '10.20.30.40',
      Asn: '65001',
      AuthKey: KEY,
    };
    const asked = await e.submit(PEOPLE.requester, modal, form);
    const body = asked.body as { response_action?: string; view?: Record<string, unknown> };
    expect(body.response_action).toBe('update');
    const view = JSON.stringify(body.view);
    expect(view).not.toContain(KEY);
    expect(view).toContain('Type it again: a secret is never sent back into the form.');
    const again = { view: body.view ?? {}, viewId: modal.viewId };
    // Sent again as it came back: the key is missing, and the form says so instead of dropping it.
    const { AuthKey: _typed, ...withoutKey } = form;
    const empty = await e.submit(PEOPLE.requester, again, withoutKey);
    expect(empty.body).toMatchObject({
      response_action: 'errors',
      errors: { AuthKey: 'Type it again: a secret is never sent back into the form.' },
    });
    // Typed again: taken, with its key.
    expect((await e.submit(PEOPLE.requester, again, form)).text).toBe('');
    const made = (await e.bot.store.recentInChannel(CHANNEL, 20)).find(
      (r) => r.params.IpAddress === '10.20.30.40',
    );
    expect(made?.secretNames).toEqual(['AuthKey']);
  });
});

describe('SecretBox', () => {
  const box = new SecretBox(Buffer.alloc(32, 1));

  it('opens what it sealed, for that request and parameter only', () => {
    const sealed = box.seal('gw-1', 'AuthKey', KEY);
    expect(sealed).not.toContain(KEY);
    expect(box.open('gw-1', 'AuthKey', sealed)).toBe(KEY);
    expect(() => box.open('gw-2', 'AuthKey', sealed)).toThrow(/cannot be opened/);
    expect(() => new SecretBox(Buffer.alloc(32, 2)).open('gw-1', 'AuthKey', sealed)).toThrow(
      /REQUEST_SECRETS_KEY/,
    );
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(() => box.open('gw-1', 'AuthKey', tampered)).toThrow();
  });

  it('digests a value the same way each time, and differently under another key', () => {
    expect(box.digest('AuthKey', KEY)).toBe(box.digest('AuthKey', KEY));
    expect(box.digest('AuthKey', KEY)).not.toBe(box.digest('AuthKey', `${KEY}x`));
    expect(box.digest('AuthKey', KEY)).not.toBe(new SecretBox(Buffer.alloc(32, 2)).digest('AuthKey', KEY));
    expect(box.digest('AuthKey', KEY)).not.toContain(KEY);
  });
});
