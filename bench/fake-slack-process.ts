/**
 * The fake Slack Web API in a process of its own, for the ack section: what the bot posts after
 * its acks is then answered outside the load generator's event loop, which times both servers.
 *
 *   node --import tsx bench/fake-slack-process.ts   (SLACK_BOT_TOKEN)
 */
import { startFakeSlack } from '../src/sandbox/fake-slack/index.js';
import { BENCH_USERS } from './support.js';

const slack = await startFakeSlack({
  tokens: [process.env.SLACK_BOT_TOKEN ?? ''],
  // Only the messages the bot posts are kept, and this process lives for one section.
  workspace: { users: BENCH_USERS },
});
console.log(JSON.stringify({ port: Number(new URL(slack.apiUrl).port), msg: 'fake slack started' }));
process.on('SIGTERM', () => void slack.close().then(() => process.exit(0)));
