/**
 * Members of a Slack user group (`usergroups.users.list`), for deciding at a click whether someone
 * may approve. Kept so that a burst of clicks, or a request needing several approvals from one
 * group, does not ask Slack each time, and dropped at once when Slack says the group changed
 * (`forget`, from its user group events: group-changes.ts tells every bot process). The time they
 * are kept (30 s by default) is the fallback for a change whose event never arrived. Lookups of
 * one group at the same moment share one call; a failed call is not kept, so the next click asks
 * again.
 */
import type { WebClient } from '@slack/web-api';
import type { GroupMembers } from '../policy/index.js';

export interface GroupMembersOptions {
  /**
   * How long a group's members are kept when no event says they changed
   * (APPROVER_USERGROUP_REFRESH).
   * @defaultValue {@link GROUP_MEMBERS_TTL_MS}
   */
  ttlMs?: number;
  now?: () => number;
}

export const GROUP_MEMBERS_TTL_MS = 30_000;

/** Group members as kept here, and the way to drop them. */
export interface KeptGroupMembers extends GroupMembers {
  /**
   * Drops what is kept of a group (of every group without one): the next lookup asks Slack. A
   * lookup already under way still answers the clicks that were waiting for it, and is not kept.
   */
  forget(usergroup?: string): void;
}

export function slackGroupMembers(
  client: Pick<WebClient, 'usergroups'>,
  options: GroupMembersOptions = {},
): KeptGroupMembers {
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

  const members = (usergroup: string) => {
    const hit = kept.get(usergroup);
    if (hit && hit.until > now()) return hit.members;
    const asked = fetch(usergroup);
    // Kept from the moment it is asked, so that lookups at the same moment share it; `forget`
    // removes it then too, and what it answers later is not kept.
    kept.set(usergroup, { members: asked, until: now() + ttl });
    asked.catch(() => {
      if (kept.get(usergroup)?.members === asked) kept.delete(usergroup);
    });
    return asked;
  };
  return Object.assign(members, {
    forget(usergroup?: string) {
      if (usergroup === undefined) kept.clear();
      else kept.delete(usergroup);
    },
  });
}
