/**
 * The baseline of the ack section: a bare Bolt app in a process of its own, configured as Bolt's
 * documentation starts one (token and signing secret; Bolt asks Slack for the bot's identity once,
 * at start), answering the same requests as the bot with an empty acknowledgement.
 *
 *   node --import tsx bench/bare-bolt.ts   (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  endpoints: '/slack/events',
  logLevel: LogLevel.ERROR,
});
const app = new App({
  token: process.env.SLACK_BOT_TOKEN ?? '',
  receiver,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL ?? '' },
});
app.command('/gateway', async ({ ack }) => ack());
app.options<'block_suggestion'>({ type: 'block_suggestion' }, async ({ ack }) => ack({ options: [] }));
app.action(/.*/, async ({ ack }) => ack());

const server = createServer(receiver.requestListener);
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port, msg: 'bare bolt started' }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
