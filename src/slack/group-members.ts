/**
 * Members of a Slack user group (`usergroups.users.list`), for deciding at a click whether someone
 * may approve. Kept for a short while (30 s by default) so that a burst of clicks, or a request
 * needing several approvals from one group, does not ask Slack each time; short enough that a
 * person added to or removed from the group counts as such half a minute later. Lookups of one
 * group at the same moment share one call; a failed call is not kept, so the next click asks again.
 */
import type { WebClient } from '@slack/web-api';
import type { GroupMembers } from '../policy/index.js';

export interface GroupMembersOptions {
  /**
   * How long a group's members are kept.
   * @defaultValue 30 000 ms
   */
  ttlMs?: number;
  now?: () => number;
}

export const GROUP_MEMBERS_TTL_MS = 30_000;

export function slackGroupMembers(
  client: Pick<WebClient, 'usergroups'>,
  options: GroupMembersOptions = {},
): GroupMembers {
  const ttl = options.ttlMs ?? GROUP_MEMBERS_TTL_MS;
  const now = options.now ?? Date.now;
  const kept = new Map<string, { members: Promise<readonly string[]>; until: number }>();

  async function fetch(usergroup: string): Promise<readonly string[]> {
    try {
      return ((await client.usergroups.users.list({ usergroup })).users ?? []) as string[];
    } catch (err) {
      // A group that does not exist (a mistyped id in the policy file) has no members: nobody
      // counts through it, which is the safe side. Anything else is Slack failing: let it show.
      if ((err as { data?: { error?: string } }).data?.error === 'no_such_subteam') return [];
      throw err;
    }
  }

  return (usergroup) => {
    const hit = kept.get(usergroup);
    if (hit && hit.until > now()) return hit.members;
    const members = fetch(usergroup);
    kept.set(usergroup, { members, until: now() + ttl });
    members.catch(() => {
      if (kept.get(usergroup)?.members === members) kept.delete(usergroup);
    });
    return members;
  };
}
