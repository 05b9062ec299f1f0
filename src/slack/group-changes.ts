/**
 * A user group's change, told to every bot process. Slack sends its user group events
 * (`subteam_members_changed`, `subteam_updated`) to one of them: behind a load balancer, whichever
 * process the request reached; in Socket Mode, one of the open connections. That one publishes the
 * group's id on a Redis channel, and every process subscribed to it, the publisher included, drops
 * the members it kept of that group, so a person removed from an approver group is refused at
 * their next click wherever it lands.
 *
 * Publish and subscribe keep nothing: a process whose subscription was down when a change was
 * published never hears of it. So each time its subscription is (re)made, a process drops every
 * group it kept; between that and the kept members' own time limit (APPROVER_USERGROUP_REFRESH),
 * a change whose event or notice is lost still takes effect within that limit.
 */
import type { Logger } from '../observability/logger.js';
import type { RedisClient } from '../redis/index.js';
import type { KeptGroupMembers } from './group-members.js';

export interface GroupChanges {
  /** A group changed: dropped here at once, and in every other process when Redis tells it. */
  changed(usergroup: string): Promise<void>;
  close(): Promise<void>;
}

export interface GroupChangeOptions {
  /** The bot's connection, which publishes. */
  redis: RedisClient;
  /**
   * The connection that listens: a subscribed connection takes no other command.
   * @defaultValue a second connection like `redis`
   */
  listener?: RedisClient;
  /** REDIS_PREFIX: bots of another installation on the same Redis do not hear these. */
  prefix: string;
  members: KeptGroupMembers;
  logger: Pick<Logger, 'info' | 'warn'>;
}

/** The Redis channel the changes of one installation's groups are published on. */
export function groupChangeChannel(prefix: string): string {
  return `${prefix}:usergroup-changed`;
}

/** Starts listening (resolves once subscribed) and returns how to tell the others of a change. */
export async function shareGroupChanges(o: GroupChangeOptions): Promise<GroupChanges> {
  const channel = groupChangeChannel(o.prefix);
  const listener = o.listener ?? o.redis.duplicate();
  listener.on('message', (from: string, usergroup: string) => {
    if (from === channel) o.members.forget(usergroup);
  });
  // Also after a reconnection, when ioredis subscribes again: what was published meanwhile is lost.
  listener.on('ready', () => o.members.forget());
  // Errors are the bot's connection's to report (the same server); unhandled, they would throw.
  listener.on('error', () => {});
  await listener.subscribe(channel);
  return {
    async changed(usergroup) {
      o.members.forget(usergroup);
      try {
        await o.redis.publish(channel, usergroup);
      } catch (err) {
        o.logger.warn(
          { usergroup, err: { message: (err as Error).message } },
          'could not tell the other bot processes that a user group changed; they ask Slack again within APPROVER_USERGROUP_REFRESH',
        );
      }
    },
    async close() {
      await listener.quit().catch(() => listener.disconnect());
    },
  };
}
