/**
 * A resource type added with nothing but a declaration and its simulator actions, both in this
 * file, and one registry line: it gets its slash-command word, its modal, validation, a preflight,
 * approval in the thread, the create call with the request id as ClientToken, a watch until it is
 * ready, and a result message; its quota (a setting read from the environment, WIDGET_QUOTA) is
 * checked before a create; it can be deleted with `/gateway delete`; and because it declares that
 * it uses a customer gateway, that customer gateway cannot be deleted under it. Not a line changed
 * anywhere else. This is the registry's promise (docs/architecture.md, "Resource types"), kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { text } from '../../src/i18n/index.js';
import {
  defineResource,
  integerSetting,
  registerResource,
  unregisterResource,
} from '../../src/resources/index.js';
import {
  type ActionContext,
  type Handler,
  idempotent,
  need,
  type Params,
  region,
  requestId,
  SimError,
} from '../../src/sandbox/simulator/index.js';
import { ACTION_IDS } from '../../src/slack/ids.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import { CHANNEL, CLOUD_KEY, PEOPLE, useE2E } from '../support/e2e.js';
import { popClient } from '../support/simulator.js';

/** A "widget": a name and a size, on a customer gateway; ready a moment after it is made. */
const widget = defineResource({
  type: 'test_widget',
  words: ['widget'],
  callbackId: 'create_test_widget',
  title: text('Widget', '部件'),
  summary: text('request a widget', '申请部件'),
  idPrefix: 'wdg-',
  params: [
    {
      name: 'RegionId',
      type: 'string',
      required: true,
      input: 'external_select',
      source: { list: 'region' },
      label: text('Region', '地域'),
    },
    {
      name: 'CustomerGatewayId',
      type: 'string',
      required: true,
      input: 'external_select',
      source: { list: { resource: 'customer_gateway' } },
      label: text('Customer gateway', '用户网关'),
    },
    {
      name: 'WidgetName',
      type: 'string',
      required: true,
      input: 'text',
      label: text('Name', '名称'),
      minLength: 3,
      maxLength: 20,
    },
    {
      name: 'Size',
      type: 'integer',
      required: true,
      input: 'static_select',
      values: [1, 2, 3].map((n) => ({ value: n, label: text(`${n} units`, `${n} 个单位`) })),
      label: text('Size', '大小'),
    },
  ] as const,
  create: { action: 'CreateWidget', idField: 'WidgetId' },
  list: {
    action: 'DescribeWidgets',
    plural: 'Widgets',
    singular: 'Widget',
    idField: 'WidgetId',
    idParam: 'WidgetId',
    label: (item) => String(item.WidgetName),
  },
  quota: {
    setting: integerSetting('WIDGET_QUOTA', { default: 5, min: 1, max: 50 }),
    what: { en: 'widgets', zh: '部件' },
  },
  uses: [{ resource: 'customer_gateway', ids: (item) => [String(item.CustomerGatewayId)] }],
  delete: {
    action: 'DeleteWidget',
    watched: false,
    describe: (item) => [{ label: text('Name', '名称'), value: String(item.WidgetName), typed: true }],
  },
  watch: {
    observe: (item) => ({ status: String(item.Status), ready: item.Status === 'ready' }),
    timeoutHint: () => text('Look for it in the console.', '请在控制台中查看。'),
  },
  preflight: [
    {
      id: 'name_free',
      async run(params, ctx) {
        const list = await ctx.call<{ Widgets: { Widget: { WidgetName: string }[] } }>('DescribeWidgets', {
          RegionId: params.RegionId,
        });
        const taken = list.Widgets.Widget.some((w) => w.WidgetName === params.WidgetName);
        return {
          id: 'name_free',
          param: 'WidgetName',
          outcome: taken ? 'fail' : 'pass',
          detail: taken
            ? text(`${params.WidgetName} is taken.`, `${params.WidgetName} 已被使用。`)
            : text(`${params.WidgetName} is free.`, `${params.WidgetName} 可用。`),
        };
      },
    },
  ],
  result: (_facts, params) => [{ label: text('Size', '大小'), value: String(params.Size) }],
  readyStatus: 'ready',
});

/** The simulator's side: widgets in memory, ready once listed twice, listed by page and by id. */
interface SimWidget {
  WidgetId: string;
  WidgetName: string;
  CustomerGatewayId: string;
  RegionId: string;
  looks: number;
}
const widgets = new Map<string, SimWidget>();
let made = 0;
const actions: Record<string, Handler> = {
  CreateWidget(p: Params, ctx: ActionContext) {
    const regionId = region(p, ctx);
    const name = need(p, 'WidgetName');
    const cgw = need(p, 'CustomerGatewayId');
    if (!['1', '2', '3'].includes(need(p, 'Size'))) throw new SimError('InvalidSize', 400, 'Size is 1 to 3.');
    return idempotent('CreateWidget', p, ctx, () => {
      const id = `wdg-${String(++made).padStart(8, '0')}`;
      widgets.set(id, {
        WidgetId: id,
        WidgetName: name,
        CustomerGatewayId: cgw,
        RegionId: regionId,
        looks: 0,
      });
      return { WidgetId: id, RequestId: requestId() };
    });
  },
  DescribeWidgets(p: Params, ctx: ActionContext) {
    const regionId = region(p, ctx);
    const all = [...widgets.values()].filter(
      (w) => w.RegionId === regionId && (p.WidgetId === undefined || w.WidgetId === p.WidgetId),
    );
    const size = Number(p.PageSize ?? 10);
    const page = Number(p.PageNumber ?? 1);
    const shown = all.slice((page - 1) * size, page * size);
    for (const w of shown) w.looks++;
    return {
      Widgets: {
        Widget: shown.map((w) => ({
          WidgetId: w.WidgetId,
          WidgetName: w.WidgetName,
          CustomerGatewayId: w.CustomerGatewayId,
          Status: w.looks > 2 ? 'ready' : 'making',
        })),
      },
      TotalCount: all.length,
      PageNumber: page,
      PageSize: size,
      RequestId: requestId(),
    };
  },
  DeleteWidget(p: Params, ctx: ActionContext) {
    const regionId = region(p, ctx);
    const id = need(p, 'WidgetId');
    return idempotent('DeleteWidget', p, ctx, () => {
      if (widgets.get(id)?.RegionId !== regionId)
        throw new SimError('InvalidWidgetInstanceId.NotFound', 404, `The widget ${id} does not exist.`);
      widgets.delete(id);
      return { RequestId: requestId() };
    });
  },
};
const specs = {
  CreateWidget: {
    parameters: [
      { name: 'RegionId', type: 'String', required: true },
      { name: 'CustomerGatewayId', type: 'String', required: true },
      { name: 'WidgetName', type: 'String', required: true },
      { name: 'Size', type: 'Integer', required: true },
      { name: 'ClientToken', type: 'String', required: false },
    ],
  },
  DescribeWidgets: {
    parameters: [
      { name: 'RegionId', type: 'String', required: true },
      { name: 'WidgetId', type: 'String', required: false },
      { name: 'PageNumber', type: 'Integer', required: false },
      { name: 'PageSize', type: 'Integer', required: false },
    ],
  },
  DeleteWidget: {
    parameters: [
      { name: 'RegionId', type: 'String', required: true },
      { name: 'WidgetId', type: 'String', required: true },
      { name: 'ClientToken', type: 'String', required: false },
    ],
  },
};

// Registered before the bot starts, taken away after it is closed.
beforeAll(() => {
  registerResource(widget);
});
afterAll(() => {
  unregisterResource('test_widget');
});
// The quota is a setting like any other: one widget per region here.
const e = useE2E('widget', {
  env: { WIDGET_QUOTA: '1' },
  overrides: { simulator: { actions, specs } },
  conformance: true,
});
let customerGateway = '';

beforeAll(async () => {
  const cgw = await popClient(e.sim, { accessKeyId: CLOUD_KEY.id, accessKeySecret: CLOUD_KEY.secret }).call<{
    CustomerGatewayId: string;
  }>('CreateCustomerGateway', { RegionId: 'cn-hangzhou', IpAddress: '47.96.7.7' });
  customerGateway = cgw.CustomerGatewayId;
});

/** The newest request of the channel, once it is posted. */
async function latestPosted(
  check: (r: ResourceRequest) => boolean,
): Promise<ResourceRequest & { messageTs: string }> {
  for (let tries = 0; tries < 100; tries++) {
    const [r] = await e.bot.store.recentInChannel(CHANNEL, 1);
    if (r?.messageTs && check(r)) return r as ResourceRequest & { messageTs: string };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('no such request was posted');
}

/** The last private answer someone got. */
function lastEphemeral(): string {
  return String(e.slack.callsTo('chat.postEphemeral').at(-1)?.params.text ?? '');
}

describe('a resource type declared in a test file, with its simulator actions', () => {
  it('flows from /gateway widget through the modal, approval, create and watch to a result', async () => {
    const help = await e.command(PEOPLE.requester, 'help');
    expect(help.text).toContain('/gateway widget');

    const modal = await e.openModal(PEOPLE.requester, 'widget');
    expect(modal.view.callback_id).toBe('create_test_widget');
    const form = { RegionId: { option: 'cn-hangzhou' }, CustomerGatewayId: { option: customerGateway } };
    const bad = await e.submit(PEOPLE.requester, modal, { ...form, WidgetName: 'x', Size: { option: '2' } });
    expect(bad.body).toMatchObject({
      response_action: 'errors',
      errors: { WidgetName: expect.stringMatching(/3–20/) },
    });

    const answer = await e.submit(PEOPLE.requester, modal, {
      ...form,
      WidgetName: 'blue-one',
      Size: { option: '2' },
    });
    expect(answer.text).toBe('');
    const [latest] = await e.bot.store.recentInChannel(CHANNEL, 1);
    const request = await e.requestMessage(latest?.id ?? '');
    expect(request).toMatchObject({
      resource: 'test_widget',
      params: {
        RegionId: 'cn-hangzhou',
        CustomerGatewayId: customerGateway,
        WidgetName: 'blue-one',
        Size: 2,
      },
    });
    // Its own check, then the quota its declaration states.
    expect(request.preflight?.checks).toEqual([
      expect.objectContaining({ id: 'name_free', outcome: 'pass' }),
      expect.objectContaining({
        id: 'quota',
        outcome: 'pass',
        detail: expect.objectContaining({ en: '0 of 1 widgets used in cn-hangzhou.' }),
      }),
    ]);

    await e.click(PEOPLE.lead1, ACTION_IDS.approve, request);
    const done = await e.waitForState(request.id, ['succeeded', 'failed']);
    expect(done).toMatchObject({
      state: 'succeeded',
      cloud: { resourceId: 'wdg-00000001', status: 'ready' },
    });
    const result = await e.slack.waitFor(() =>
      e.slack.thread(CHANNEL, request.messageTs).find((m) => m.reply_broadcast),
    );
    expect(result.text).toBe(`<@${PEOPLE.requester}> Widget wdg-00000001 is ready (request ${request.id}).`);
    expect(JSON.stringify(result.blocks)).toContain('*Size:* 2');
    // The request id was the ClientToken: the simulator saw it with the create call.
    const create = e.sim.requests().find((r) => r.action === 'CreateWidget');
    expect(create?.params.ClientToken).toBe(request.id);

    // Its preflight refuses a taken name in the modal, as the built-in types' do, and its quota
    // (WIDGET_QUOTA=1) is full: both said at once, each on its field.
    const again = await e.openModal(PEOPLE.requester, 'widget');
    const taken = await e.submit(PEOPLE.requester, again, {
      ...form,
      WidgetName: 'blue-one',
      Size: { option: '1' },
    });
    expect(taken.body).toMatchObject({
      response_action: 'errors',
      errors: {
        WidgetName: 'blue-one is taken.',
        RegionId: expect.stringMatching(
          /1 of 1 widgets are already used in cn-hangzhou: the quota is full.*WIDGET_QUOTA/,
        ),
      },
    });
  });

  it('keeps the customer gateway it uses from being deleted, and is deleted itself', async () => {
    // The customer gateway was made outside the bot: the channel adopts it first.
    await e.command(PEOPLE.requester, `adopt ${customerGateway}`);
    const adoption = await latestPosted((r) => r.operation === 'adopt');
    await e.click(PEOPLE.lead1, ACTION_IDS.approve, adoption);
    expect((await e.waitForState(adoption.id, ['succeeded', 'failed'])).state).toBe('succeeded');
    const stored = (await e.bot.store.recentInChannel(CHANNEL, 100)).length;
    const answers = e.slack.callsTo('chat.postEphemeral').length;
    await e.command(PEOPLE.requester, `delete ${customerGateway}`);
    await e.slack.waitFor(() => e.slack.callsTo('chat.postEphemeral')[answers]);
    expect(lastEphemeral()).toContain(`${customerGateway} is used by widget wdg-00000001`);
    expect((await e.bot.store.recentInChannel(CHANNEL, 100)).length).toBe(stored);

    await e.command(PEOPLE.requester, 'delete wdg-00000001');
    const deletion = await latestPosted((r) => r.operation === 'delete' && r.resource === 'test_widget');
    expect(deletion.params).toEqual({ RegionId: 'cn-hangzhou', WidgetId: 'wdg-00000001' });
    await e.click(PEOPLE.lead1, ACTION_IDS.approve, deletion);
    expect(await e.waitForState(deletion.id, ['succeeded', 'failed'])).toMatchObject({
      state: 'succeeded',
      cloud: { resourceId: 'wdg-00000001' },
    });
    const deletes = e.sim.requests().filter((r) => r.action === 'DeleteWidget');
    expect(deletes.map((r) => r.params.ClientToken)).toEqual([deletion.id]);
    expect(widgets.has('wdg-00000001')).toBe(false);

    // Nothing uses the customer gateway now: its deletion is asked for like any other.
    await e.command(PEOPLE.requester, `delete ${customerGateway}`);
    const cgwDeletion = await latestPosted(
      (r) => r.operation === 'delete' && r.resource === 'customer_gateway',
    );
    expect(cgwDeletion.preflight?.checks).toEqual([
      expect.objectContaining({ id: 'in_flight', outcome: 'pass' }),
      expect.objectContaining({ id: 'dependents', outcome: 'pass' }),
    ]);
  });
});
