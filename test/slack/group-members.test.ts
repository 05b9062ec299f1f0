/**
 * User group members as the bot looks them up at a click: kept for 30 seconds unless dropped (a
 * group Slack said changed), one Slack call for lookups made at the same moment, a failed call not
 * kept, and a group Slack does not know has no members.
 */
import { describe, expect, it } from 'vitest';
import { GROUP_MEMBERS_TTL_MS, slackGroupMembers } from '../../src/slack/group-members.js';

/** A stand-in for the Web API's `usergroups.users.list`, counting calls; `answer` decides each. */
function fakeClient(answer: (usergroup: string, call: number) => Promise<{ users?: string[] }>) {
  const calls: string[] = [];
  const client = {
    usergroups: {
      users: {
        list: async ({ usergroup }: { usergroup: string }) => {
          calls.push(usergroup);
          return answer(usergroup, calls.length);
        },
      },
    },
  };
  return { client: client as unknown as Parameters<typeof slackGroupMembers>[0], calls };
}

describe('slackGroupMembers', () => {
  it('keeps a group’s members for 30 s, then asks Slack again', async () => {
    let now = 1_000;
    const { client, calls } = fakeClient(async (_g, call) => ({ users: call === 1 ? ['U1'] : ['U1', 'U2'] }));
    const members = slackGroupMembers(client, { now: () => now });
    expect(GROUP_MEMBERS_TTL_MS).toBe(30_000);
    expect(await members('S0LEADS')).toEqual(['U1']);
    now += 29_999;
    expect(await members('S0LEADS')).toEqual(['U1']);
    expect(calls).toEqual(['S0LEADS']);
    now += 1;
    expect(await members('S0LEADS')).toEqual(['U1', 'U2']);
    expect(calls).toEqual(['S0LEADS', 'S0LEADS']);
  });

  it('asks once for lookups made at the same moment, and per group', async () => {
    const { client, calls } = fakeClient(async (g) => ({ users: [`${g}-member`] }));
    const members = slackGroupMembers(client);
    const answers = await Promise.all([members('S0A'), members('S0A'), members('S0B')]);
    expect(answers).toEqual([['S0A-member'], ['S0A-member'], ['S0B-member']]);
    expect(calls).toEqual(['S0A', 'S0B']);
  });

  it('does not keep a failure, and treats a group Slack does not know as empty', async () => {
    const { client, calls } = fakeClient(async (g, call) => {
      if (g === 'S0GONE')
        throw Object.assign(new Error('no_such_subteam'), { data: { error: 'no_such_subteam' } });
      if (call === 1) throw Object.assign(new Error('fatal_error'), { data: { error: 'fatal_error' } });
      return { users: ['U1'] };
    });
    const members = slackGroupMembers(client);
    await expect(members('S0LEADS')).rejects.toThrow('fatal_error');
    expect(await members('S0LEADS')).toEqual(['U1']);
    expect(await members('S0GONE')).toEqual([]);
    expect(calls).toEqual(['S0LEADS', 'S0LEADS', 'S0GONE']);
  });

  it('drops a group when told (every group when told of none), before its time is up', async () => {
    const { client, calls } = fakeClient(async (g, call) => ({ users: [`${g}-${call}`] }));
    const members = slackGroupMembers(client, { now: () => 1_000 });
    expect(await members('S0A')).toEqual(['S0A-1']);
    expect(await members('S0B')).toEqual(['S0B-2']);
    members.forget('S0A');
    expect(await members('S0A')).toEqual(['S0A-3']);
    expect(await members('S0B')).toEqual(['S0B-2']);
    members.forget();
    expect(await members('S0A')).toEqual(['S0A-4']);
    expect(await members('S0B')).toEqual(['S0B-5']);
    expect(calls).toEqual(['S0A', 'S0B', 'S0A', 'S0A', 'S0B']);
  });

  it('answers the clicks waiting for a lookup under way when the group is dropped, and keeps nothing of it', async () => {
    let release: (users: string[]) => void = () => {};
    const { client, calls } = fakeClient((_g, call) =>
      call === 1
        ? new Promise<{ users: string[] }>((resolve) => {
            release = (users) => resolve({ users });
          })
        : Promise.resolve({ users: ['U2'] }),
    );
    const members = slackGroupMembers(client, { now: () => 1_000 });
    const waiting = members('S0A');
    members.forget('S0A');
    release(['U1']);
    expect(await waiting).toEqual(['U1']);
    expect(await members('S0A')).toEqual(['U2']);
    expect(calls).toEqual(['S0A', 'S0A']);
  });
});
