/**
 * Slack's `app_home_opened` (a bot event, no scope of its own): the person opened the bot's Home
 * tab, which is published for them now (home-publisher.ts). Opening the Messages tab sends the same
 * event with `tab: messages`, which has nothing to show.
 */
import type { App } from '@slack/bolt';
import type { ListenerContext } from './context.js';

/** The event, by name: what the manifest subscribes to. */
export const HOME_EVENTS = ['app_home_opened'] as const;

export function listenForHomeOpened(app: App, c: ListenerContext): void {
  app.event(HOME_EVENTS[0], async ({ event }) => {
    if (event.tab !== 'home' || !event.user) return;
    await c.publishHome(event.user);
  });
}
