/**
 * The real bot over HTTP, as Slack sees it: the runtime started from a configuration, Slack's
 * Web API faked on loopback, the VPC simulator, real Redis under a unique prefix. Helpers play
 * the people: type a command, load options, submit a modal, click a button, with signed requests.
 * What the bot answers directly (command answers, options) is held to Slack's limits here, as the
 * fake Web API holds what it posts. `useE2E` gives a test file (or a describe block) one running
 * harness, started before its tests and closed after them.
 */
import { afterAll, beforeAll, expect, vi } from 'vitest';
import { createVpcClient, type VpcClient } from '../../src/cloud/index.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { type Runtime, type RuntimeOverrides, startRuntime } from '../../src/runtime/index.js';
import {
  blockActionPayload,
  blockSuggestionPayload,
  checkMessage,
  checkOptionsAnswer,
  describeProblem,
  type FakeSlack,
  type FormValue,
  interactionBody,
  postToApp,
  slashCommandBody,
  startFakeSlack,
  viewActionPayload,
  viewSubmissionPayload,
} from '../../src/sandbox/fake-slack/index.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import { REDIS_URL, type TestRedis, testRedis } from './redis.js';
import { startTestSimulator, type TestSimulator, type TestSimulatorOptions } from './simulator.js';
import { dualTunnelValues } from './workflow.js';

export const SIGNING_SECRET = 'e2e-signing-secret-value';
export const BOT_TOKEN = 'xoxb-fake-bot-token';
export const CHANNEL = 'C0NETOPS';
/** Another channel of the workspace, where the same people also type commands. */
export const OTHER_CHANNEL = 'C0ELSEWHERE';
/** A third channel, for a test that needs one of its own (an account only it may use). */
export const THIRD_CHANNEL = 'C0BRANCHES';
export const PEOPLE = {
  requester: 'U0ASKER',
  lead1: 'U0LEAD1',
  lead2: 'U0LEAD2',
  outsider: 'U0INTERN',
} as const;
export const CLOUD_KEY = { id: 'e2e-key', secret: 'e2e-cloud-secret-value' };

export interface Modal {
  view: Record<string, unknown>;
  viewId: string;
}

export interface E2E {
  slack: FakeSlack;
  sim: TestSimulator;
  bot: Runtime;
  eventsUrl: string;
  /** Types `/gateway <text>` as `user`, in CHANNEL unless another channel is given. */
  command(user: string, text: string, channel?: string): ReturnType<typeof postToApp>;
  /** Opens the modal a command word opens (`vpn`, `customer`), in CHANNEL unless another is given. */
  openModal(user: string, word: string, channel?: string): Promise<Modal>;
  /**
   * Changes an input that dispatches an action (the region, the billing method …) to the value in
   * `values`, and returns the modal as the bot re-rendered it.
   */
  choose(user: string, modal: Modal, actionId: string, values: Record<string, FormValue>): Promise<Modal>;
  options(
    user: string,
    modal: { view: Record<string, unknown>; viewId: string },
    actionId: string,
    values: Record<string, FormValue>,
    typed?: string,
  ): Promise<{ value: string; text: string }[]>;
  submit(
    user: string,
    modal: { view: Record<string, unknown>; viewId: string },
    values: Record<string, FormValue>,
  ): ReturnType<typeof postToApp>;
  click(user: string, actionId: string, request: ResourceRequest): ReturnType<typeof postToApp>;
  requestMessage(requestId: string): Promise<ResourceRequest & { messageTs: string }>;
  waitForState(
    requestId: string,
    states: ResourceRequest['state'][],
    timeoutMs?: number,
  ): Promise<ResourceRequest>;
  close(): Promise<void>;
}

export type E2EOverrides = Pick<
  RuntimeOverrides,
  'reconcileEveryMs' | 'scheduleCheckEveryMs' | 'logger' | 'stsCa'
> & {
  /** More simulator options (extra actions and their metadata, quotas, faults). */
  simulator?: TestSimulatorOptions;
  /** A simulator the test started itself (several accounts, an STS beside it); closed with the rest. */
  sim?: TestSimulator;
};

export interface E2EOptions {
  /** Adds to or overrides the bot's environment. */
  env?: Record<string, string>;
  /** Go to the runtime (e.g. the reconciler's pace), but `simulator`, which the test simulator takes. */
  overrides?: E2EOverrides;
  /** Holds every call the bot sent against Alibaba's metadata once the tests are done. */
  conformance?: boolean;
}

/**
 * Registers the hooks that start the harness before the tests of the file (or of the describe
 * block it is called in) and close it after them, and returns it. The returned object stands for
 * the running harness: read it inside tests and hooks, not while the file is being collected.
 *
 * `where` is a label (a fresh `testRedis(label)`, its keys deleted afterwards), a `TestRedis` the
 * file reads too (deleted afterwards as well), or `{ prefix }` on a Redis the file runs itself
 * (nothing deleted). Vitest runs `beforeAll` hooks in the order they are registered and `afterAll`
 * hooks in the reverse: a file's own set-up registered before this call (a private Redis, a policy
 * file) is ready when the bot starts and torn down after it is closed. `options` may be a function,
 * called when the harness starts, for what only that set-up knows (a private Redis's address).
 */
export function useE2E(
  where: string | TestRedis | { prefix: string },
  options: E2EOptions | (() => E2EOptions) = {},
): E2E {
  const redis = typeof where === 'string' ? testRedis(where) : where;
  const cleanup = 'cleanup' in redis ? (redis as TestRedis).cleanup : undefined;
  let running: E2E | undefined;
  let conformance = false;
  beforeAll(async () => {
    const chosen = typeof options === 'function' ? options() : options;
    conformance = chosen.conformance ?? false;
    running = await startE2E(redis.prefix, chosen.env, chosen.overrides);
  });
  afterAll(async () => {
    try {
      if (conformance) running?.sim.expectConformance();
    } finally {
      await running?.close();
      await cleanup?.();
    }
  });
  return new Proxy({} as E2E, {
    get(_target, key) {
      if (running) return Reflect.get(running, key);
      // Never mistaken for a promise by whoever awaits it.
      if (key === 'then') return undefined;
      throw new Error(
        `the end-to-end harness under ${redis.prefix} was read outside its tests (it runs from beforeAll to afterAll)`,
      );
    },
  });
}

/**
 * One harness, started now, for a test that needs a second bot beside its file's (`useE2E`); the
 * caller closes it. `env` adds to or overrides the bot's environment; `overrides` go to the runtime
 * (e.g. the reconciler's pace), but `simulator`, which the test simulator takes (e.g. the
 * account's quotas).
 */
export async function startE2E(
  prefix: string,
  env: Record<string, string> = {},
  overrides: E2EOverrides = {},
): Promise<E2E> {
  const slack = await startFakeSlack({
    tokens: [BOT_TOKEN],
    workspace: {
      users: [
        { id: PEOPLE.requester, name: 'asker', real_name: 'Ann Asker', locale: 'en-US' },
        { id: PEOPLE.lead1, name: 'lead1', real_name: 'Lee One', locale: 'en-US' },
        { id: PEOPLE.lead2, name: 'lead2', real_name: 'Li Er', locale: 'zh-CN' },
        { id: PEOPLE.outsider, name: 'intern', real_name: 'Ian Intern', locale: 'en-US' },
      ],
      channels: [
        { id: CHANNEL, name: 'net-ops' },
        { id: OTHER_CHANNEL, name: 'elsewhere' },
        { id: THIRD_CHANNEL, name: 'branches' },
      ],
    },
  });
  const { simulator, sim: given, ...runtimeOverrides } = overrides;
  const sim =
    given ??
    (await startTestSimulator({
      accessKeyId: CLOUD_KEY.id,
      accessKeySecret: CLOUD_KEY.secret,
      provisionTimeMs: 400,
      ...simulator,
    }));
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    REDIS_URL,
    REDIS_PREFIX: prefix,
    APPROVERS: `${PEOPLE.lead1},${PEOPLE.lead2}`,
    ALIBABA_CLOUD_ACCESS_KEY_ID: CLOUD_KEY.id,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: CLOUD_KEY.secret,
    ALIBABA_CLOUD_VPC_ENDPOINT: sim.url,
    POLL_INTERVAL: '50ms',
    POLL_MAX_INTERVAL: '200ms',
    PROVISION_TIMEOUT: '30s',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const bot = await startRuntime(config, {
    host: '127.0.0.1',
    logger: createLogger({ level: 'silent' }),
    slackClientOptions: { retryConfig: { retries: 0 } },
    ...runtimeOverrides,
  });
  const eventsUrl = `${bot.http.url}/slack/events`;
  const send = (body: string) => postToApp(eventsUrl, SIGNING_SECRET, body);

  const e2e: E2E = {
    slack,
    sim,
    bot,
    eventsUrl,
    async command(user, text, channel = CHANNEL) {
      const answer = await send(
        slashCommandBody({
          command: '/gateway',
          text,
          user_id: user,
          channel_id: channel,
          trigger_id: slack.issueTriggerId(user),
        }),
      );
      // Slack shows the person an error instead of an answer it refuses.
      const refusal = typeof answer.body === 'object' && answer.body ? checkMessage(answer.body) : undefined;
      if (refusal) throw new Error(`Slack would refuse the answer to "${text}": ${JSON.stringify(refusal)}`);
      return answer;
    },
    async openModal(user, word, channel = CHANNEL) {
      const before = slack.callsTo('views.open').length;
      const answer = await e2e.command(user, word, channel);
      if (answer.status !== 200) throw new Error(`command answered ${answer.status}`);
      const call = await slack.waitFor(() => slack.callsTo('views.open')[before]);
      const view = call.params.view as Record<string, unknown>;
      return { view, viewId: String((call.response.view as { id: string }).id) };
    },
    async choose(user, modal, actionId, values) {
      const before = slack.callsTo('views.update').length;
      const hash = slack.workspace.views.get(modal.viewId)?.hash ?? '';
      const answer = await send(
        interactionBody(
          viewActionPayload({ user, view: modal.view, viewId: modal.viewId, hash, actionId, values }),
        ),
      );
      if (answer.status !== 200) throw new Error(`the action answered ${answer.status}`);
      const call = await slack.waitFor(() => slack.callsTo('views.update')[before]);
      return { view: call.params.view as Record<string, unknown>, viewId: modal.viewId };
    },
    async options(user, modal, actionId, values, typed = '') {
      const answer = await send(
        interactionBody(
          blockSuggestionPayload({ user, actionId, typed, view: modal.view, viewId: modal.viewId, values }),
        ),
      );
      const problems = checkOptionsAnswer(answer.body);
      if (problems.length)
        throw new Error(
          `Slack would refuse the options for ${actionId}: ${problems.map(describeProblem).join('; ')}`,
        );
      return ((answer.body as { options?: { value: string; text: { text: string } }[] }).options ?? []).map(
        (o) => ({
          value: o.value,
          text: o.text.text,
        }),
      );
    },
    submit: (user, modal, values) =>
      send(interactionBody(viewSubmissionPayload({ user, view: modal.view, viewId: modal.viewId, values }))),
    click: (user, actionId, request) =>
      send(
        interactionBody(
          blockActionPayload({
            user,
            channel: request.channelId,
            messageTs: request.messageTs ?? '',
            actionId,
            value: request.id,
            triggerId: slack.issueTriggerId(user),
          }),
        ),
      ),
    async requestMessage(requestId) {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const r = await bot.store.get(requestId);
        if (r?.messageTs) return r as ResourceRequest & { messageTs: string };
        if (Date.now() > deadline) throw new Error(`request message of ${requestId} was never posted`);
        await new Promise((res) => setTimeout(res, 25));
      }
    },
    async waitForState(requestId, states, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const r = await bot.store.get(requestId);
        if (r && states.includes(r.state)) return r;
        if (Date.now() > deadline)
          throw new Error(`request ${requestId} is ${r?.state}, not ${states.join('/')}`);
        await new Promise((res) => setTimeout(res, 25));
      }
    },
    async close() {
      await bot.close();
      await slack.close();
      await sim.close();
    },
  };
  return e2e;
}

/** What `get` gives once it gives something (polled every 50 ms, up to `timeout`). */
export function until<T>(get: () => Promise<T | undefined> | T | undefined, timeout = 20_000): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await get();
      if (value === undefined) throw new Error('not yet');
      return value;
    },
    { timeout, interval: 50 },
  );
}

/**
 * The account's own VPC client, as a person in the console would act on it: what a test makes
 * or changes there, outside the bot.
 */
export function accountClient(e: E2E): VpcClient {
  return createVpcClient({
    accessKeyId: CLOUD_KEY.id,
    accessKeySecret: CLOUD_KEY.secret,
    endpoint: e.sim.url,
    timeoutMs: 5_000,
  });
}

/**
 * A dual-tunnel VPN gateway and two customer gateways (the IPs given) made in the account's console,
 * outside the bot, in `region`: their ids once the gateway is active.
 */
export async function consoleGateways(
  e: E2E,
  region: string,
  ips: readonly [string, string],
): Promise<{ gatewayId: string; customerGatewayIds: [string, string] }> {
  const vpc = accountClient(e);
  const gw = await vpc.call<{ VpnGatewayId: string }>('CreateVpnGateway', {
    ...(await dualTunnelValues(vpc, region)),
    Bandwidth: 10,
  });
  const cgw = async (ip: string) =>
    (
      await vpc.call<{ CustomerGatewayId: string }>('CreateCustomerGateway', {
        RegionId: region,
        IpAddress: ip,
      })
    ).CustomerGatewayId;
  const customerGatewayIds: [string, string] = [await cgw(ips[0]), await cgw(ips[1])];
  await until(() =>
    e.sim.state().vpnGateways.find((g) => g.VpnGatewayId === gw.VpnGatewayId)?.Status === 'active'
      ? true
      : undefined,
  );
  return { gatewayId: gw.VpnGatewayId, customerGatewayIds };
}

/** The private answer a command gets, told after its ack (a deletion, key rotation or adoption). */
export async function privateAnswerTo(
  e: E2E,
  command: string,
  channel = CHANNEL,
  user: string = PEOPLE.requester,
): Promise<string> {
  const before = e.slack.callsTo('chat.postEphemeral').length;
  await e.command(user, command, channel);
  const call = await e.slack.waitFor(() => e.slack.callsTo('chat.postEphemeral')[before]);
  return String(call.params.text);
}

/**
 * Each person clicks a button of a request's message (`messageTs`: the result's), in turn, and
 * waits for their private answer; returns what each was told privately after the first click, as JSON.
 */
export async function clicksAnsweredPrivately(
  e: E2E,
  actionId: string,
  request: ResourceRequest,
  messageTs: string,
  users: readonly string[],
): Promise<(user: string) => string> {
  const before = e.slack.callsTo('chat.postEphemeral').length;
  const since = () => e.slack.callsTo('chat.postEphemeral').slice(before);
  for (const user of users) {
    await e.click(user, actionId, { ...request, messageTs });
    await e.slack.waitFor(() => since().find((c) => c.params.user === user));
  }
  return (user) =>
    JSON.stringify(
      since()
        .filter((c) => c.params.user === user)
        .map((c) => c.params),
    );
}

/**
 * A customer gateway asked for in the channel by the requester (cn-shanghai, the IP given), waiting
 * for approval: the request as stored, with its message's ts.
 */
export async function pendingCustomerGateway(
  e: E2E,
  ip: string,
): Promise<ResourceRequest & { messageTs: string }> {
  const modal = await e.openModal(PEOPLE.requester, 'customer');
  const answer = await e.submit(PEOPLE.requester, modal, {
    RegionId: { option: 'cn-shanghai' },
    IpAddress: ip,
  });
  if (answer.text !== '') throw new Error(`the customer gateway form was refused: ${answer.text}`);
  const found = (await e.bot.store.recentInChannel(CHANNEL, 100)).find((r) => r.params.IpAddress === ip);
  return e.requestMessage(found?.id ?? '');
}

/**
 * A secret is nowhere but where it may be: in no Slack call but the `allowed` ones (the private
 * answers that carry it), no log line, no audit event, no Redis value under the test's prefix. Each
 * place must hold something, or the search would prove nothing.
 */
export async function expectSecretOnlyWhereAllowed(
  e: E2E,
  o: {
    redis: TestRedis;
    lines: readonly string[];
    allowed: readonly unknown[];
    holdsSecret: (text: string) => boolean;
  },
): Promise<void> {
  const places: Record<string, string[]> = {
    'another Slack call': e.slack.calls.filter((c) => !o.allowed.includes(c)).map((c) => JSON.stringify(c)),
    'a log line': [...o.lines],
    'the audit trail': (await e.bot.store.auditSince(0)).map((x) => JSON.stringify(x)),
    'a Redis value': await o.redis.everyValue(),
  };
  for (const [where, texts] of Object.entries(places)) {
    expect(texts.length, where).toBeGreaterThan(0);
    expect(texts.filter(o.holdsSecret), `a secret in ${where}`).toEqual([]);
  }
}
