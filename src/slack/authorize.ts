/**
 * Bolt's authorization for a single bot token, with the bot's identity asked of Slack once.
 *
 * Given `token` and no `botId`/`botUserId`, and with token verification off (start-up must not
 * wait for Slack), Bolt calls `auth.test` before every request it handles: a round trip to Slack
 * inside each 3-second ack budget, and a Web API call per click. Here no request waits for it: the
 * first one starts the question in the background and goes on with the token alone, and so does
 * every request until the answer is in; a failed question is asked again by the next request. The
 * bot's ids only decorate Bolt's context: Bolt uses them to ignore the bot's own messages, and the
 * only events this app listens to are user group changes, which no bot makes.
 */
import type { Authorize, AuthorizeResult } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';

export function singleTokenAuthorize(
  client: Pick<WebClient, 'auth'>,
  botToken: string,
  onError: (err: unknown) => void = () => {},
): Authorize<boolean> {
  let identity: { botId?: string; botUserId?: string } | undefined;
  let asking = false;
  const ask = () => {
    asking = true;
    client.auth
      .test({ token: botToken })
      .then(
        (r) => {
          identity = {
            ...(typeof r.bot_id === 'string' ? { botId: r.bot_id } : {}),
            ...(typeof r.user_id === 'string' ? { botUserId: r.user_id } : {}),
          };
        },
        (err: unknown) => onError(err),
      )
      .finally(() => {
        asking = false;
      });
  };
  return async ({ isEnterpriseInstall }): Promise<AuthorizeResult> => {
    if (!identity && !asking) ask();
    return { isEnterpriseInstall, botToken, ...identity };
  };
}
