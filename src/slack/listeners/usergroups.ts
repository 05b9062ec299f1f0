/**
 * Slack's user group events: `subteam_members_changed` (members added or removed) and
 * `subteam_updated` (the group edited, its members included). Either drops the members the bot
 * keeps of that group in every bot process (`usergroupChanged`), so someone removed from an
 * approver group is refused at their next click. Slack's events are acknowledged by Bolt before
 * this runs; a notice lost to a crash in between is covered by the members' time limit.
 */
import type { App } from '@slack/bolt';
import type { ListenerContext } from './context.js';

/** The events, by name: what the manifest subscribes to. */
export const USERGROUP_EVENTS = ['subteam_members_changed', 'subteam_updated'] as const;

/** The group an event is about: `subteam_id`, or the `subteam` it carries. */
export function usergroupOf(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const e = event as { subteam_id?: unknown; subteam?: { id?: unknown } };
  const id = e.subteam_id ?? e.subteam?.id;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

export function listenForUsergroupChanges(app: App, c: ListenerContext): void {
  // One listener for both (Bolt runs every listener's middleware for every request).
  app.event(new RegExp(`^(${USERGROUP_EVENTS.join('|')})$`), async ({ event }) => {
    const usergroup = usergroupOf(event);
    if (!usergroup) return;
    await c.usergroupChanged(usergroup);
    c.logger.info(
      { usergroup, event: event.type },
      'user group changed: its members will be asked of Slack again',
    );
  });
}
