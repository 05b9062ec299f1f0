/**
 * Red team, "kill after ack": the bot as operators run it (`src/main.ts` in a process of its own),
 * SIGKILLed the moment Slack would have its answer. A modal submission answered 200 with nothing
 * to show (Slack closes the modal) must have left its request; an approval click answered 200 must
 * have left its approval, with the approver in the audit trail; a reject reason and a cancel (once
 * each) their decision. Each round kills the bot twice, once after each answer, and starts it
 * again; `KILL_ROUNDS` sets how many rounds (3 here, 30 in `npm run test:kill`). Prints how many
 * acknowledged actions were lost: it must be none.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blockActionPayload,
  type FakeSlack,
  type FormValue,
  interactionBody,
  postToApp,
  signSlackRequest,
  slashCommandBody,
  startFakeSlack,
  viewSubmissionPayload,
} from '../../src/sandbox/fake-slack/index.js';
import { RequestStore } from '../../src/workflow/store.js';
import { type BotProcess, botEnv, runNode } from '../support/processes.js';
import { REDIS_URL, testRedis } from '../support/redis.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';

const ROUNDS = Number(process.env.KILL_ROUNDS ?? 3);
const t = testRedis('killack');
const TOKEN = 'xoxb-kill-after-ack-token-3c2b1a';
const SIGNING_SECRET = 'kill-after-ack-signing-secret-4d5e';
const CLOUD = { id: 'kill-key', secret: 'kill-cloud-secret-6f7a' };
const CHANNEL = 'C0NETOPS';
let slack: FakeSlack;
let sim: TestSimulator;
let store: RequestStore;
let bot: BotProcess | undefined;

beforeAll(async () => {
  slack = await startFakeSlack({ tokens: [TOKEN] });
  sim = await startTestSimulator({
    accessKeyId: CLOUD.id,
    accessKeySecret: CLOUD.secret,
    provisionTimeMs: 200,
  });
  store = new RequestStore({ redis: t.redis, prefix: t.prefix });
});
afterAll(async () => {
  await bot?.stop('SIGKILL');
  await slack.close();
  await sim.close();
  await t.cleanup();
});

/** Starts the bot (every role) and resolves with its events URL once it serves. */
async function startBot(): Promise<string> {
  bot = runNode(
    'src/main.ts',
    botEnv(
      {
        token: TOKEN,
        signingSecret: SIGNING_SECRET,
        slackApiUrl: slack.apiUrl,
        redisUrl: REDIS_URL,
        prefix: t.prefix,
        cloud: { ...CLOUD, endpoint: sim.url },
      },
      {
        POLL_INTERVAL: '100ms',
        POLL_MAX_INTERVAL: '200ms',
        // A job the killed bot had taken (posting the request message, say) is taken over this soon.
        WORKER_LOCK_DURATION: '2s',
        LOG_LEVEL: 'info',
      },
    ),
  );
  const started = await bot.waitForLog(/gateway bot started/, 30_000).catch(() => undefined);
  if (!started) throw new Error(`the bot did not start:\n${bot.output().slice(-2000)}`);
  return `http://127.0.0.1:${started.port}/slack/events`;
}

/**
 * Sends a signed interaction and SIGKILLs the bot as soon as the answer's status line arrives:
 * what Slack would have seen is the status and the body that came with it.
 */
function sendThenKill(url: string, body: string): Promise<{ status: number; body: string }> {
  const victim = bot;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', headers: signSlackRequest(SIGNING_SECRET, body) },
      (res) => {
        victim?.child.kill('SIGKILL');
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function until<T>(get: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const DECIDED = new Set(['approved', 'creating', 'provisioning', 'succeeded', 'failed']);

/** Types `/gateway customer` and resolves with the form the bot opened. */
async function openForm(
  url: string,
  user: string,
): Promise<{ view: Record<string, unknown>; viewId: string }> {
  const opens = slack.callsTo('views.open').length;
  const typed = await postToApp(
    url,
    SIGNING_SECRET,
    slashCommandBody({
      command: '/gateway',
      text: 'customer',
      user_id: user,
      channel_id: CHANNEL,
      trigger_id: slack.issueTriggerId(user),
    }),
  );
  expect(typed.status).toBe(200);
  const call = await slack.waitFor(() => slack.callsTo('views.open')[opens]);
  return {
    view: call.params.view as Record<string, unknown>,
    viewId: String((call.response.view as { id: string }).id),
  };
}

function submission(
  user: string,
  form: { view: Record<string, unknown>; viewId: string },
  values: Record<string, FormValue>,
) {
  return interactionBody(viewSubmissionPayload({ user, view: form.view, viewId: form.viewId, values }));
}

function click(user: string, actionId: string, requestId: string, messageTs: string) {
  return interactionBody(
    blockActionPayload({
      user,
      channel: CHANNEL,
      messageTs,
      actionId,
      value: requestId,
      triggerId: slack.issueTriggerId(user),
    }),
  );
}

async function requestFor(ip: string) {
  return (await store.recentInChannel(CHANNEL, ROUNDS + 10)).find((r) => r.params.IpAddress === ip);
}

/** The request's message, once a bot has posted it. */
function postedTs(id: string): Promise<string> {
  return until(async () => (await store.get(id))?.messageTs);
}

describe('the bot SIGKILLed right after it answers', () => {
  it(
    `loses no acknowledged submission or approval (${ROUNDS} rounds)`,
    async () => {
      let url = await startBot();
      const lost = { submissions: [] as string[], decisions: [] as string[] };
      const approved: string[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const ip = `47.64.${Math.floor(round / 250)}.${(round % 250) + 1}`;
        // A modal submission, the bot killed on its answer: 200 with no body, so Slack closes the
        // modal and the requester takes the request as sent.
        const form = await openForm(url, 'U0ASKER');
        const submitted = await sendThenKill(
          url,
          submission('U0ASKER', form, { RegionId: { option: 'cn-hangzhou' }, IpAddress: ip }),
        );
        await bot?.exited;
        expect(submitted).toEqual({ status: 200, body: '' });
        url = await startBot();
        const request = await requestFor(ip);
        if (!request) {
          lost.submissions.push(ip);
          continue;
        }
        // An approval click on the message the restarted bot posted, the bot killed on its answer.
        const messageTs = await postedTs(request.id);
        const clicked = await sendThenKill(url, click('U0LEAD1', 'approve_request', request.id, messageTs));
        await bot?.exited;
        expect(clicked.status).toBe(200);
        url = await startBot();
        const after = await store.get(request.id);
        const approval = (await store.auditTrail(request.id)).find(
          (x) => x.actor === 'U0LEAD1' && x.from === 'pending_approval' && x.to === 'approved',
        );
        if (!after || !DECIDED.has(after.state) || !approval) lost.decisions.push(`approve ${request.id}`);
        else approved.push(request.id);
      }

      // A reject reason and a cancel, once each: written before their answer too.
      for (const [action, ip, expected] of [
        ['reject', '47.64.9.1', 'rejected'],
        ['cancel', '47.64.9.2', 'cancelled'],
      ] as const) {
        const form = await openForm(url, 'U0ASKER');
        const answer = await postToApp(
          url,
          SIGNING_SECRET,
          submission('U0ASKER', form, { RegionId: { option: 'cn-hangzhou' }, IpAddress: ip }),
        );
        expect(answer.text).toBe('');
        const request = await requestFor(ip);
        const messageTs = await postedTs(request?.id ?? '');
        let acked: { status: number; body: string };
        if (action === 'reject') {
          const opens = slack.callsTo('views.open').length;
          await postToApp(
            url,
            SIGNING_SECRET,
            click('U0LEAD1', 'reject_request', request?.id ?? '', messageTs),
          );
          const call = await slack.waitFor(() => slack.callsTo('views.open')[opens]);
          const modal = {
            view: call.params.view as Record<string, unknown>,
            viewId: String((call.response.view as { id: string }).id),
          };
          acked = await sendThenKill(url, submission('U0LEAD1', modal, { reason: 'Use the shared gateway' }));
        } else
          acked = await sendThenKill(url, click('U0ASKER', 'cancel_request', request?.id ?? '', messageTs));
        await bot?.exited;
        expect(acked).toEqual({ status: 200, body: '' });
        url = await startBot();
        if ((await store.get(request?.id ?? ''))?.state !== expected) lost.decisions.push(`${action} ${ip}`);
      }

      console.log(
        `kill after ack: ${ROUNDS} submissions, ${ROUNDS - lost.submissions.length} approvals, a reject reason ` +
          `and a cancel acknowledged, each followed by SIGKILL; lost ${lost.submissions.length} submissions ` +
          `and ${lost.decisions.length} decisions`,
      );
      expect(lost).toEqual({ submissions: [], decisions: [] });

      // The last bot carries every approval through: one customer gateway and one message each.
      const done = await Promise.all(
        approved.map((id) =>
          until(async () => {
            const r = await store.get(id);
            return r?.state === 'succeeded' || r?.state === 'failed' ? r : undefined;
          }, 60_000),
        ),
      );
      expect(done.map((r) => r.state)).toEqual(approved.map(() => 'succeeded'));
      for (const r of done) {
        expect(sim.state().customerGateways.filter((g) => g.ClientToken === r.id)).toHaveLength(1);
        const roots = slack
          .messages(CHANNEL)
          .filter((m) => JSON.stringify(m.metadata ?? {}).includes(`${r.id}.submitted`));
        expect(roots).toHaveLength(1);
      }
    },
    90_000 + ROUNDS * 20_000,
  );
});
