/**
 * A user group's change told to every bot process through Redis (real Redis, two "processes" each
 * with its own kept members and its own connections): the process told by Slack drops the group at
 * once, the other as soon as Redis tells it, other groups stay kept, and a process whose
 * subscription was remade drops every group (what was published meanwhile is lost).
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { type GroupChanges, groupChangeChannel, shareGroupChanges } from '../../src/slack/group-changes.js';
import { slackGroupMembers } from '../../src/slack/group-members.js';
import { testRedis } from '../support/redis.js';

const t = testRedis('group-changes');
const logger = createLogger({ level: 'silent' });
const started: GroupChanges[] = [];
afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
  await t.cleanup();
});

/** One bot process's kept members, over a stand-in for `usergroups.users.list` that counts its calls. */
async function botProcess(prefix = t.prefix) {
  const calls: string[] = [];
  const client = {
    usergroups: {
      users: {
        list: async ({ usergroup }: { usergroup: string }) => {
          calls.push(usergroup);
          return { users: [`${usergroup}-member`] };
        },
      },
    },
  } as unknown as Parameters<typeof slackGroupMembers>[0];
  const members = slackGroupMembers(client);
  const listener = t.connect();
  const changes = await shareGroupChanges({ redis: t.connect(), listener, prefix, members, logger });
  started.push(changes);
  /** Looks the group up, and says whether Slack was asked for it. */
  const asks = async (group: string) => {
    const before = calls.length;
    await members(group);
    return calls.length > before;
  };
  return { members, changes, listener, asks };
}

describe('shareGroupChanges', () => {
  it('drops a changed group at once where Slack said so, and in the other process as soon as Redis tells it', async () => {
    const told = await botProcess();
    const other = await botProcess();
    const elsewhere = await botProcess(`${t.prefix.slice(0, -1)}-other}`);
    for (const p of [told, other, elsewhere]) {
      expect(await p.asks('S0LEADS')).toBe(true);
      expect(await p.asks('S0OPS')).toBe(true);
      expect(await p.asks('S0LEADS')).toBe(false);
    }
    await told.changes.changed('S0LEADS');
    expect(await told.asks('S0LEADS')).toBe(true);
    await vi.waitFor(async () => expect(await other.asks('S0LEADS')).toBe(true), {
      timeout: 2_000,
      interval: 5,
    });
    // Another group stays kept; another installation (another prefix) hears nothing.
    expect(await other.asks('S0OPS')).toBe(false);
    await new Promise((r) => setTimeout(r, 100));
    expect(await elsewhere.asks('S0LEADS')).toBe(false);
  });

  it('drops every group when its subscription is made again, having missed what was said meanwhile', async () => {
    const p = await botProcess();
    expect(await p.asks('S0LEADS')).toBe(true);
    expect(await p.asks('S0LEADS')).toBe(false);
    p.listener.disconnect(true);
    await vi.waitFor(async () => expect(await p.asks('S0LEADS')).toBe(true), {
      timeout: 5_000,
      interval: 20,
    });
    // Subscribed again: it hears the next change.
    expect(await p.asks('S0LEADS')).toBe(false);
    await vi.waitFor(async () => {
      await t.redis.publish(groupChangeChannel(t.prefix), 'S0LEADS');
      expect(await p.asks('S0LEADS')).toBe(true);
    });
  });
});
