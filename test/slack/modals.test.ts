import { describe, expect, it } from 'vitest';
import { getGatewaySpec } from '../../src/gateways/index.js';
import { buildGatewayModal, buildRejectModal, parseModalMetadata } from '../../src/slack/modals.js';

type Block = {
  type: string;
  block_id?: string;
  dispatch_action?: boolean;
  optional?: boolean;
  hint?: { text: string };
  label?: { text: string };
  element?: Record<string, unknown>;
};
const OPTIONS = { channelId: 'C0NET', locale: 'en' as const, sandbox: false, gateways: {} };
const inputs = (blocks: unknown) => (blocks as Block[]).filter((b) => b.type === 'input');

describe('modals generated from the gateway specifications', () => {
  it('uses the API parameter names as block and action ids, with the element the design asks for', () => {
    for (const kind of ['vpn', 'customer'] as const) {
      const view = buildGatewayModal(kind, OPTIONS);
      expect(view.callback_id).toBe(getGatewaySpec(kind).callbackId);
      for (const block of inputs(view.blocks)) expect(block.element?.action_id).toBe(block.block_id);
    }
    const vpn = Object.fromEntries(
      inputs(buildGatewayModal('vpn', OPTIONS).blocks).map((b) => [b.block_id, b]),
    );
    expect(vpn.RegionId?.element?.type).toBe('external_select');
    expect(vpn.VpcId?.element?.type).toBe('external_select');
    expect(vpn.Bandwidth?.element?.type).toBe('static_select');
    expect(((vpn.Bandwidth?.element?.options ?? []) as { value: string }[]).map((o) => o.value)).toEqual([
      '5',
      '10',
      '20',
      '50',
      '100',
      '200',
    ]);
    expect(vpn.InstanceChargeType?.element).toMatchObject({
      type: 'radio_buttons',
      initial_option: { value: 'POSTPAY' },
    });
    expect(vpn.EnableIpsec?.element).toMatchObject({
      type: 'checkboxes',
      initial_options: [{ value: 'true' }],
    });
    expect(vpn.EnableIpsec?.optional).toBe(true);
    expect(vpn.AutoPay?.hint?.text).toMatch(/never becomes active until someone pays/);
    expect(vpn.Name?.element).toMatchObject({ type: 'plain_text_input', max_length: 100 });
  });

  it('shows Period only with PREPAY and SSL connections only with SSL-VPN, re-rendering on those inputs', () => {
    const ids = (values: Record<string, string | boolean>) =>
      inputs(buildGatewayModal('vpn', OPTIONS, values).blocks).map((b) => b.block_id);
    expect(ids({})).not.toContain('Period');
    expect(ids({})).not.toContain('SslConnections');
    expect(ids({ InstanceChargeType: 'PREPAY' })).toContain('Period');
    expect(ids({ EnableSsl: true })).toContain('SslConnections');
    const blocks = inputs(buildGatewayModal('vpn', OPTIONS).blocks);
    expect(
      blocks
        .filter((b) => b.dispatch_action)
        .map((b) => b.block_id)
        .sort(),
    ).toEqual(['EnableSsl', 'InstanceChargeType']);
  });

  it('speaks Chinese, takes configured value lists, and says when it is a sandbox', () => {
    const view = buildGatewayModal('vpn', {
      ...OPTIONS,
      locale: 'zh-CN',
      sandbox: true,
      gateways: { bandwidthValues: [10, 1000] },
    });
    expect(view.title?.text).toBe('VPN 网关');
    const blocks = view.blocks as Block[];
    expect(JSON.stringify(blocks[0])).toContain('沙箱模式');
    const bandwidth = inputs(blocks).find((b) => b.block_id === 'Bandwidth');
    expect(bandwidth?.label?.text).toBe('带宽（Mbit/s）');
    expect(((bandwidth?.element?.options ?? []) as { value: string }[]).map((o) => o.value)).toEqual([
      '10',
      '1000',
    ]);
    expect(parseModalMetadata(view.private_metadata)).toEqual({ channelId: 'C0NET', locale: 'zh-CN' });
  });

  it('stays within Slack limits', () => {
    for (const kind of ['vpn', 'customer'] as const) {
      for (const locale of ['en', 'zh-CN'] as const) {
        const view = buildGatewayModal(
          kind,
          { ...OPTIONS, locale, sandbox: true },
          { InstanceChargeType: 'PREPAY', EnableSsl: true },
        );
        expect((view.title?.text ?? '').length).toBeLessThanOrEqual(24);
        expect((view.submit?.text ?? '').length).toBeLessThanOrEqual(24);
        expect((view.blocks ?? []).length).toBeLessThanOrEqual(100);
        expect((view.private_metadata ?? '').length).toBeLessThanOrEqual(3000);
        for (const b of inputs(view.blocks)) expect((b.hint?.text ?? '').length).toBeLessThanOrEqual(2000);
      }
    }
    expect(
      buildRejectModal({ requestId: 'gw-20261122-abcdefghjk', channelId: 'C', locale: 'en' }).title?.text
        .length,
    ).toBeLessThanOrEqual(24);
  });
});
