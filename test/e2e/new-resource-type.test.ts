/**
 * A resource type added with nothing but a declaration and a simulator action, both in this file:
 * it gets its slash-command word, its modal, validation, a preflight, approval in the thread, the
 * create call with the request id as ClientToken, a watch until it is ready, and a result message,
 * without a line changed anywhere else. This is the registry's promise
 * (docs/architecture.md, "Resource types"), kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { text } from '../../src/i18n/index.js';
import { defineResource, registerResource, unregisterResource } from '../../src/resources/index.js';
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
import { CHANNEL, type E2E, PEOPLE, startE2E } from '../support/e2e.js';
import { testRedis } from '../support/redis.js';

/** A "widget": a name and a size; ready a moment after it is made, listed by DescribeWidgets. */
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

/** The simulator's side: widgets in memory, ready once asked about twice. */
const widgets = new Map<string, { WidgetId: string; WidgetName: string; RegionId: string; looks: number }>();
const actions: Record<string, Handler> = {
  CreateWidget(p: Params, ctx: ActionContext) {
    const regionId = region(p, ctx);
    const name = need(p, 'WidgetName');
    if (!['1', '2', '3'].includes(need(p, 'Size'))) throw new SimError('InvalidSize', 400, 'Size is 1 to 3.');
    return idempotent('CreateWidget', p, ctx, () => {
      const id = `wdg-${String(widgets.size + 1).padStart(8, '0')}`;
      widgets.set(id, { WidgetId: id, WidgetName: name, RegionId: regionId, looks: 0 });
      return { WidgetId: id, RequestId: requestId() };
    });
  },
  DescribeWidgets(p: Params, ctx: ActionContext) {
    const regionId = region(p, ctx);
    const all = [...widgets.values()].filter((w) => w.RegionId === regionId);
    for (const w of all) w.looks++;
    return {
      Widgets: {
        Widget: all.map((w) => ({
          WidgetId: w.WidgetId,
          WidgetName: w.WidgetName,
          Status: w.looks > 2 ? 'ready' : 'making',
        })),
      },
      TotalCount: all.length,
      RequestId: requestId(),
    };
  },
};
const specs = {
  CreateWidget: {
    parameters: [
      { name: 'RegionId', type: 'String', required: true },
      { name: 'WidgetName', type: 'String', required: true },
      { name: 'Size', type: 'Integer', required: true },
      { name: 'ClientToken', type: 'String', required: false },
    ],
  },
  DescribeWidgets: {
    parameters: [
      { name: 'RegionId', type: 'String', required: true },
      { name: 'PageNumber', type: 'Integer', required: false },
      { name: 'PageSize', type: 'Integer', required: false },
    ],
  },
};

const t = testRedis('widget');
let e: E2E;

beforeAll(async () => {
  registerResource(widget);
  e = await startE2E(t.prefix, {}, { simulator: { actions, specs } });
});
afterAll(async () => {
  e.sim.expectConformance();
  await e.close();
  unregisterResource('test_widget');
  await t.cleanup();
});

describe('a resource type declared in a test file, with its simulator action', () => {
  it('flows from /gateway widget through the modal, approval, create and watch to a result', async () => {
    const help = await e.command(PEOPLE.requester, 'help');
    expect(help.text).toContain('/gateway widget');

    const modal = await e.openModal(PEOPLE.requester, 'widget');
    expect(modal.view.callback_id).toBe('create_test_widget');
    const bad = await e.submit(PEOPLE.requester, modal, {
      RegionId: { option: 'cn-hangzhou' },
      WidgetName: 'x',
      Size: { option: '2' },
    });
    expect(bad.body).toMatchObject({
      response_action: 'errors',
      errors: { WidgetName: expect.stringMatching(/3–20/) },
    });

    const answer = await e.submit(PEOPLE.requester, modal, {
      RegionId: { option: 'cn-hangzhou' },
      WidgetName: 'blue-one',
      Size: { option: '2' },
    });
    expect(answer.text).toBe('');
    const [latest] = await e.bot.store.recentInChannel(CHANNEL, 1);
    const request = await e.requestMessage(latest?.id ?? '');
    expect(request).toMatchObject({
      resource: 'test_widget',
      params: { RegionId: 'cn-hangzhou', WidgetName: 'blue-one', Size: 2 },
    });
    expect(request.preflight?.checks).toEqual([
      expect.objectContaining({ id: 'name_free', outcome: 'pass' }),
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
    expect(result.text).toBe(`Widget wdg-00000001 is ready (request ${request.id}).`);
    expect(JSON.stringify(result.blocks)).toContain('*Size:* 2');
    // The request id was the ClientToken: the simulator saw it with the create call.
    const create = e.sim.requests().find((r) => r.action === 'CreateWidget');
    expect(create?.params.ClientToken).toBe(request.id);

    // Its preflight refuses a taken name in the modal, as the built-in types' do.
    const again = await e.openModal(PEOPLE.requester, 'widget');
    const taken = await e.submit(PEOPLE.requester, again, {
      RegionId: { option: 'cn-hangzhou' },
      WidgetName: 'blue-one',
      Size: { option: '1' },
    });
    expect(taken.body).toMatchObject({
      response_action: 'errors',
      errors: { WidgetName: 'blue-one is taken.' },
    });
  });
});
