/**
 * Bolt's authorization for a single bot token, with the bot's identity asked of Slack once.
 *
 * Given `token` and no `botId`/`botUserId`, and with token verification off (start-up must not
 * wait for Slack), Bolt calls `auth.test` before every request it handles: a round trip to Slack
 * inside each 3-second ack budget, and a Web API call per click. Here the first request asks, the
 * answer is kept for the life of the process, and a failed `auth.test` is asked again by the next
 * request; meanwhile requests go on with the token alone (this app listens to no events, so the
 * bot's own ids only decorate the context).
 */
import type { Authorize, AuthorizeResult } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';

export function singleTokenAuthorize(client: Pick<WebClient, 'auth'>, botToken: string): Authorize<boolean> {
  let identity: Promise<{ botId?: string; botUserId?: string }> | undefined;
  const ask = () =>
    client.auth.test({ token: botToken }).then(
      (r) => ({
        ...(typeof r.bot_id === 'string' ? { botId: r.bot_id } : {}),
        ...(typeof r.user_id === 'string' ? { botUserId: r.user_id } : {}),
      }),
      () => {
        identity = undefined;
        return {};
      },
    );
  return async ({ isEnterpriseInstall }): Promise<AuthorizeResult> => {
    identity ??= ask();
    return { isEnterpriseInstall, botToken, ...(await identity) };
  };
}
