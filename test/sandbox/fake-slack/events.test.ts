/**
 * The fake Slack's events as Slack sends them: a user group's change as `subteam_members_changed`
 * (who was added and who removed) and `subteam_updated` (the group as it now is), each POSTed as
 * JSON in an `event_callback` envelope and signed (v0) with the app's signing secret; nothing sent
 * without a Request URL; `usergroups.users.list` answering the group as changed.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../../src/sandbox/fake-slack/index.js';

const SECRET = 'events-signing-secret';
let slack: FakeSlack;
/** What the stand-in app received: headers and body of each POST. */
const received: { headers: IncomingMessage['headers']; body: string }[] = [];
const app = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(200).end();
  });
});

beforeAll(async () => {
  slack = await startFakeSlack({
    tokens: ['xoxb-events'],
    workspace: { usergroups: { S0LEADS: ['U1', 'U2'] } },
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await slack.close();
  await new Promise((resolve) => app.close(resolve));
});

describe('fake Slack user group events', () => {
  it('changes the group silently when no Request URL is set', async () => {
    expect(await slack.changeUsergroup('S0LEADS', ['U1', 'U2', 'U3'])).toEqual([]);
    expect(received).toEqual([]);
    const web = new WebClient('xoxb-events', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    expect((await web.usergroups.users.list({ usergroup: 'S0LEADS' })).users).toEqual(['U1', 'U2', 'U3']);
  });

  it('sends both events, signed, in their envelope, when the members change', async () => {
    slack.deliverEventsTo(`http://127.0.0.1:${(app.address() as AddressInfo).port}/slack/events`, SECRET);
    const delivered = await slack.changeUsergroup('S0LEADS', ['U2', 'U4']);
    expect(delivered.map((d) => d.status)).toEqual([200, 200]);
    expect(received).toHaveLength(2);
    const bodies = received.map(({ headers, body }) => {
      expect(headers['content-type']).toBe('application/json');
      const timestamp = String(headers['x-slack-request-timestamp']);
      expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(60);
      const expected = `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
      expect(headers['x-slack-signature']).toBe(expected);
      return JSON.parse(body) as {
        type: string;
        event_id: string;
        team_id: string;
        event: Record<string, unknown>;
      };
    });
    for (const b of bodies) expect(b).toMatchObject({ type: 'event_callback', team_id: 'T0GATEWAY' });
    expect(new Set(bodies.map((b) => b.event_id)).size).toBe(2);
    expect(bodies[0]?.event).toMatchObject({
      type: 'subteam_members_changed',
      subteam_id: 'S0LEADS',
      added_users: ['U4'],
      added_users_count: '1',
      removed_users: ['U1', 'U3'],
      removed_users_count: '2',
    });
    expect(bodies[1]?.event).toMatchObject({
      type: 'subteam_updated',
      subteam: { id: 'S0LEADS', is_usergroup: true, users: ['U2', 'U4'], user_count: 2 },
    });
    expect(slack.deliveries.map((d) => d.event.type)).toEqual(['subteam_members_changed', 'subteam_updated']);
    // Only the events asked for.
    await slack.changeUsergroup('S0LEADS', ['U2'], { events: ['subteam_updated'] });
    expect(received.map((r) => (JSON.parse(r.body) as { event: { type: string } }).event.type)).toEqual([
      'subteam_members_changed',
      'subteam_updated',
      'subteam_updated',
    ]);
  });
});
