import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../src/config/index.js';
import { type ParamValues, resourceOf, resources } from '../../src/resources/index.js';
import { metadataSigner } from '../../src/slack/metadata.js';
import {
  buildRejectModal,
  buildResourceModal,
  parseModalMetadata,
  parseRejectMetadata,
} from '../../src/slack/modals.js';
import { readViewLabels, readViewValues } from '../../src/slack/view-state.js';

type Block = {
  type: string;
  block_id?: string;
  dispatch_action?: boolean;
  optional?: boolean;
  hint?: { text: string };
  label?: { text: string };
  element?: Record<string, unknown>;
};
const signer = metadataSigner('xoxb-test-token');
const OPTIONS = {
  channelId: 'C0NET',
  locale: 'en' as const,
  sandbox: false,
  resources: {},
  signer,
  accounts: [DEFAULT_ACCOUNT],
};
const inputs = (blocks: unknown) => (blocks as Block[]).filter((b) => b.type === 'input');
const TYPES = { vpn: 'vpn_gateway', customer: 'customer_gateway' } as const;
const buildGatewayModal = (
  kind: keyof typeof TYPES,
  options: Parameters<typeof buildResourceModal>[1],
  values: ParamValues = {},
) => buildResourceModal(resourceOf(TYPES[kind]), options, values);

describe('modals generated from the resource declarations', () => {
  it('uses API parameter names as block and action ids, with the element docs/architecture.md names', () => {
    for (const resource of resources()) {
      const view = buildResourceModal(resource, OPTIONS);
      expect(view.callback_id).toBe(resource.callbackId);
      for (const block of inputs(view.blocks)) expect(block.element?.action_id).toBe(block.block_id);
    }
    expect(resourceOf('vpn_gateway').callbackId).toBe('create_vpn_gateway');
    expect(resourceOf('customer_gateway').callbackId).toBe('create_customer_gateway');
    const vpn = Object.fromEntries(
      inputs(buildGatewayModal('vpn', OPTIONS).blocks).map((b) => [b.block_id, b]),
    );
    expect(vpn.RegionId?.element?.type).toBe('external_select');
    expect(vpn.VpcId?.element?.type).toBe('external_select');
    expect(vpn.Bandwidth?.element?.type).toBe('static_select');
    expect(((vpn.Bandwidth?.element?.options ?? []) as { value: string }[]).map((o) => o.value)).toEqual([
      '10',
      '100',
      '200',
      '500',
      '1000',
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
    expect(vpn.AutoPay).toBeUndefined();
    expect(vpn.Name?.element).toMatchObject({ type: 'plain_text_input', max_length: 100 });
  });

  it('shows AutoPay and its unpaid-order warning only with PREPAY, and marks Period required there', () => {
    const prepay = Object.fromEntries(
      inputs(buildGatewayModal('vpn', OPTIONS, { InstanceChargeType: 'PREPAY' }).blocks).map((b) => [
        b.block_id,
        b,
      ]),
    );
    expect(prepay.AutoPay?.hint?.text).toMatch(/does not become active until someone pays/);
    expect(prepay.Period?.optional).toBe(false);
  });

  it('asks for a second vSwitch, required, once a dual-tunnel region is chosen', () => {
    const blocks = (values: ParamValues) =>
      Object.fromEntries(
        inputs(buildGatewayModal('vpn', OPTIONS, values).blocks).map((b) => [b.block_id, b]),
      );
    expect(blocks({}).DisasterRecoveryVSwitchId).toBeUndefined();
    expect(blocks({}).VSwitchId?.optional).toBe(true);
    // Before a region is chosen, the hint says when the vSwitch will be required, and why.
    expect(blocks({}).VSwitchId?.hint?.text).toContain('Required in dual-tunnel regions');
    const hangzhou = blocks({ RegionId: 'cn-hangzhou' });
    expect(hangzhou.DisasterRecoveryVSwitchId?.optional).toBe(false);
    expect(hangzhou.VSwitchId?.optional).toBe(false);
    expect(hangzhou.DisasterRecoveryVSwitchId?.element?.type).toBe('external_select');
    const dubai = blocks({ RegionId: 'me-east-1' });
    expect(dubai.DisasterRecoveryVSwitchId).toBeUndefined();
    expect(dubai.VSwitchId?.optional).toBe(true);
    expect(hangzhou.RegionId?.dispatch_action).toBe(true);
  });

  it('offers a private gateway its own bandwidths, re-rendering when the network type changes', () => {
    const bandwidth = inputs(buildGatewayModal('vpn', OPTIONS, { NetworkType: 'private' }).blocks).find(
      (b) => b.block_id === 'Bandwidth',
    );
    expect(((bandwidth?.element?.options ?? []) as { value: string }[]).map((o) => o.value)).toEqual([
      '200',
      '1000',
    ]);
    const network = inputs(buildGatewayModal('vpn', OPTIONS).blocks).find(
      (b) => b.block_id === 'NetworkType',
    );
    expect(network?.dispatch_action).toBe(true);
  });

  it('never puts a secret back into a modal', () => {
    const view = buildGatewayModal('customer', OPTIONS, { RegionId: 'cn-hangzhou', AuthKey: 'bgp-s3cret' });
    expect(JSON.stringify(view)).not.toContain('bgp-s3cret');
  });

  it('shows Period only with PREPAY and SSL connections only with SSL-VPN, re-rendering on those inputs', () => {
    const ids = (values: ParamValues) =>
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
    ).toEqual(['EnableSsl', 'InstanceChargeType', 'NetworkType', 'RegionId']);
  });

  it('speaks Chinese, takes configured value lists, and says when it is a sandbox', () => {
    const view = buildGatewayModal('vpn', {
      ...OPTIONS,
      locale: 'zh-CN',
      sandbox: true,
      resources: { settings: { VPN_BANDWIDTH_VALUES: [10, 1000] } },
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
    expect(parseModalMetadata(view.private_metadata, signer)).toEqual({
      channelId: 'C0NET',
      locale: 'zh-CN',
    });
  });

  it('signs private_metadata: an altered, forged or foreign one is refused', () => {
    const view = buildGatewayModal('customer', OPTIONS);
    const raw = view.private_metadata ?? '';
    expect(parseModalMetadata(raw, signer)).toEqual({ channelId: 'C0NET', locale: 'en' });
    const [body = '', sig = ''] = raw.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ channelId: 'C0OTHER', locale: 'en' })).toString(
      'base64url',
    );
    expect(parseModalMetadata(`${forgedBody}.${sig}`, signer)).toBeUndefined();
    expect(
      parseModalMetadata(JSON.stringify({ channelId: 'C0OTHER', locale: 'en' }), signer),
    ).toBeUndefined();
    expect(parseModalMetadata(`${body}.${sig}`, metadataSigner('xoxb-another-install'))).toBeUndefined();
    const reject = buildRejectModal(
      { requestId: 'gw-20261122-abcdefghjk', channelId: 'C0NET', locale: 'en' },
      signer,
    );
    expect(parseRejectMetadata(reject.private_metadata, signer)).toEqual({
      requestId: 'gw-20261122-abcdefghjk',
      channelId: 'C0NET',
      locale: 'en',
    });
    expect(
      parseRejectMetadata(JSON.stringify({ requestId: 'gw-x', channelId: 'C', locale: 'en' }), signer),
    ).toBeUndefined();
  });

  it('stays within Slack limits', () => {
    for (const resource of resources()) {
      for (const locale of ['en', 'zh-CN'] as const) {
        const view = buildResourceModal(
          resource,
          { ...OPTIONS, locale, sandbox: true },
          { RegionId: 'cn-hangzhou', InstanceChargeType: 'PREPAY', EnableSsl: true },
        );
        expect((view.title?.text ?? '').length).toBeLessThanOrEqual(24);
        expect((view.submit?.text ?? '').length).toBeLessThanOrEqual(24);
        expect((view.blocks ?? []).length).toBeLessThanOrEqual(100);
        expect((view.private_metadata ?? '').length).toBeLessThanOrEqual(3000);
        for (const b of inputs(view.blocks)) expect((b.hint?.text ?? '').length).toBeLessThanOrEqual(2000);
      }
    }
    expect(
      buildRejectModal({ requestId: 'gw-20261122-abcdefghjk', channelId: 'C', locale: 'en' }, signer).title
        ?.text.length,
    ).toBeLessThanOrEqual(24);
  });
});

describe('a form rebuilt after a choice', () => {
  it('shows the options already chosen with the labels their pick-lists gave, not bare ids', () => {
    const state = {
      RegionId: {
        RegionId: {
          type: 'external_select',
          selected_option: { value: 'cn-hangzhou', text: { text: 'China (Hangzhou) · cn-hangzhou' } },
        },
      },
      VpcId: {
        VpcId: {
          type: 'external_select',
          selected_option: { value: 'vpc-1', text: { text: 'office · vpc-1 · 10.0.0.0/8' } },
        },
      },
      Name: { Name: { type: 'plain_text_input', value: 'edge' } },
    };
    const labels = readViewLabels(state);
    expect(labels).toEqual({
      RegionId: 'China (Hangzhou) · cn-hangzhou',
      VpcId: 'office · vpc-1 · 10.0.0.0/8',
    });
    const view = buildResourceModal(resourceOf('vpn_gateway'), OPTIONS, readViewValues(state), { labels });
    const initial = (id: string) =>
      (
        inputs(view.blocks).find((b) => b.block_id === id)?.element?.initial_option as {
          text: { text: string };
        }
      )?.text.text;
    expect(initial('VpcId')).toBe('office · vpc-1 · 10.0.0.0/8');
    // Without a label (an id from elsewhere), the id stands for itself.
    const bare = buildResourceModal(resourceOf('vpn_gateway'), OPTIONS, {
      RegionId: 'cn-hangzhou',
      VpcId: 'vpc-1',
    });
    expect(
      (
        inputs(bare.blocks).find((b) => b.block_id === 'VpcId')?.element?.initial_option as {
          text: { text: string };
        }
      )?.text.text,
    ).toBe('vpc-1');
  });
});
