/**
 * Chinese as a Chinese reader expects it, everywhere the bot speaks: every entry of the Chinese
 * catalogue with sample parameters (both a Latin-led and a Chinese title, both branches of each
 * flag), every Chinese text of every declaration (labels, help, choices, rules, preflight findings
 * from a scripted account, results, tunnel messages), the field errors people get, and every
 * Chinese literal in the catalogue's and the declarations' sources (so a branch no sample reaches
 * is read too). And the Chinese words have one home: the Slack surface and the workflow hold none.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { messages, spaced, type Text } from '../../src/i18n/index.js';
import { en } from '../../src/i18n/messages/en.js';
import {
  type CheckContext,
  type CloudItem,
  checksFor,
  type RequestParams,
  type Resource,
  resourceOf,
  resources,
} from '../../src/resources/index.js';
import { TUNNEL_CGW } from '../../src/resources/vpn-connection.js';
import { chineseProblems, NEUTRAL } from '../support/chinese-text.js';
import { fieldErrorsOfBadInput } from '../support/field-errors.js';

const zh = messages('zh-CN');

describe('the Chinese check itself', () => {
  it('finds missing spaces, half-width punctuation and English words, and passes what is well set', () => {
    expect(chineseProblems('创建VPN 网关')).toEqual(['no space between Chinese and Latin in "建V"']);
    expect(chineseProblems('已有 0/30 个VPN 网关')).toHaveLength(1);
    expect(chineseProblems('请求`gw-1`')).toHaveLength(1);
    expect(chineseProblems('状态: 正在创建')).toEqual(['half-width punctuation in Chinese: "态: "']);
    expect(chineseProblems('隧道 1 (tun-1)')).toHaveLength(2);
    expect(chineseProblems('请求失败.')).toHaveLength(1);
    expect(chineseProblems('VPC · default')).toEqual([]);
    expect(chineseProblems('专有网络 · default')).toEqual(['English word in Chinese: "default"']);
    expect(chineseProblems('使用 `list` 查看')).toEqual(['English word in a code span: "list"']);
    expect(chineseProblems('`/gateway status &lt;request-id&gt;`：查看')).toEqual([
      'in `request-id`: English word in Chinese: "request-id"',
    ]);
    for (const good of [
      '创建 VPN 网关',
      '已有 0/30 个 VPN 网关',
      ':bell: 提醒：<@U0ASKER> 已批准（1/2）。',
      '使用 `/gateway list` 查看，`/gateway status &lt;请求 ID&gt;` 查看一个',
      '请求 `gw-20270115-abcdefghij`（ClientToken）：`Throttling.User`',
      '不能以“aliyun”或 http:// 开头，每行一个 team=netops',
      '*预检：* 全部通过',
      '_调用删除时它已不存在。_',
      'IPsec SA 已协商成功，状态为 ipsec_sa_established',
    ])
      expect(chineseProblems(good), good).toEqual([]);
  });
});

describe('spaced, the seam between a Chinese template and its values', () => {
  it('puts a space where Chinese meets Latin, a digit or a code span, and nowhere else', () => {
    const title = (t: string) => spaced`即将创建${t}。`;
    expect(title('VPN 网关')).toBe('即将创建 VPN 网关。');
    expect(title('用户网关')).toBe('即将创建用户网关。');
    expect(spaced`已有${3}个`).toBe('已有 3 个');
    expect(spaced`请求${'`gw-1`'}已撤回`).toBe('请求 `gw-1` 已撤回');
    expect(spaced`（${'gw-1'}）：${'已批准'}`).toBe('（gw-1）：已批准');
    expect(spaced`删除${''}VPN`).toBe('删除VPN');
    // A value is never changed inside.
    expect(spaced`名称${'a网b'}`).toBe('名称 a网b');
  });
});

/** Sample parameters by name: [with Latin-led titles and flags on, with Chinese titles and flags off]. */
const SAMPLES: Record<string, [unknown, unknown]> = {
  items: [['<@U0LEAD1>', '<@U0LEAD2>'], ['`vpn-…`']],
  ms: [90_500, 3_723_000],
  label: ['VPN 网关', '名称'],
  value: ['`vpn-bp1x2y3z4`', '47.96.1.10'],
  who: ['<@U0ASKER>', ''],
  title: ['VPN 网关', '用户网关'],
  region: ['ap-southeast-1', 'cn-shanghai-finance-1'],
  id: ['gw-20270115-abcdefghij', 'gw-20270115-k3j9x2m4qp'],
  target: ['vpn-bp1x2y3z4', 'cgw-bp1abc234'],
  format: ['strongSwan（swanctl.conf）', 'Cisco IOS'],
  name: ['InstanceChargeType', 'IkeConfig.IkeVersion'],
  given: [1, 0],
  needed: [2, 1],
  action: ['DescribeVpcs', ''],
  code: ['Throttling.User', 'ServiceUnavailable'],
  seconds: ['1.5', '2.0'],
  expires: ['<!date^1800000000^{date_short_pretty} {time}|2027-01-15T08:00:00.000Z>', '<!date^1|x>'],
  by: [['<@U0LEAD1>', '<@U0LEAD2>'], ['<@U0LEAD1>']],
  nothing: [zh.thread.nothingCreated, zh.thread.nothingDeleted],
  reason: ['`暂不需要`', '`预算未批`'],
  elapsed: [zh.duration({ ms: 90_000 }), zh.duration({ ms: 500 })],
  status: ['provisioning', 'ipsec_sa_established'],
  channel: ['<#C0NETOPS>', '<#C0OTHER>'],
  error: ['not_in_channel', 'is_archived'],
  typed: ['`vpm-2`', '`删除`'],
  prefixes: [['`vpn-…`', '`cgw-…`', '`vco-…`'], ['`vpn-…`']],
  command: ['/gateway', '/net'],
  doing: ['rotate_key', 'adopt'],
  up: [true, false],
  duration: [zh.duration({ ms: 300_000 }), zh.duration({ ms: 90_000 })],
  made: ['vpn-bp1x2y3z4', ''],
  when: ['<!date^1800000000^{date_short} {time}|2027-01-15T08:00:00.000Z>', '<!date^1|x>'],
  more: [1, 12],
  problem: [zh.field.required({ choose: true }), zh.field.notInteger],
  choose: [true, false],
  choices: [['10', '100', '200'], ['200']],
  character: ['U+202E', 'U+200B'],
  length: [1, 120],
  range: ['2–100', '3–500'],
  state: [zh.stateWord.approved, zh.stateWord.pending_approval],
  rule: ['prepay-over-100m', 'office-1'],
  message: ['本账号不允许在北京创建网关。', '不允许。'],
  left: [1, 2],
  kinds: [
    [
      { title: 'VPN 网关', prefix: 'vpn-' },
      { title: '用户网关', prefix: 'cgw-' },
    ],
    [{ title: 'IPsec 连接', prefix: 'vco-' }],
  ],
  reasons: [['没有 IPsec 连接使用 vpn-bp1x2y3z4。'], []],
  regions: [['cn-hangzhou', 'cn-shanghai'], ['ap-southeast-1']],
  account: ['prod-cn1', 'staging-2'],
  what: [
    '机器人无法通过 RAM 角色登录该账号：STS 返回 NoPermission。',
    '阿里云返回错误 Throttling.User（HTTP 400）。',
  ],
  todo: ['请机器人的管理员检查角色的信任策略，然后重新申请。', '请稍后重试。'],
  waited: [zh.duration({ ms: 3_600_000 }), zh.duration({ ms: 45_000 })],
  ahead: [140, 1],
  wait: [zh.duration({ ms: 154_000 }), zh.duration({ ms: 11_000 })],
  age: [zh.duration({ ms: 300_000 }), zh.duration({ ms: 5_000 })],
  params: [zh.pair({ label: 'IP 地址', value: '`47.96.1.10`' }), ''],
  thread: ['<https://network-team.slack.com/archives/C0NETOPS/p1|讨论串>', ''],
  seen: ['<!date^1800000000^{date_short_pretty} {time}|2027-01-15T08:00:00.000Z>', '<!date^1|x>'],
  parts: [['• 隧道 2：tun-2 · cgw-1 · ike_sa_not_established'].join('\n'), '• 隧道 1：tun-1'],
  lines: [['• 本端网段：审批为 10.0.0.0/16，现为 10.9.0.0/16'], ['• 带宽（Mbit/s）：审批为 10，现为 20']],
  approved: ['10.0.0.0/16', '10'],
  now: ['10.0.0.0/16,10.9.0.0/16', '20'],
};

/** Every text of a catalogue, each function called with both sample sets; names no sample covers are reported. */
function catalogueTexts(catalogue: object, missing: Set<string>): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string') out.push({ path, text: value });
    else if (typeof value === 'function') {
      for (const variant of [0, 1] as const) {
        const params = new Proxy(
          {},
          {
            get: (_target, key) => {
              if (typeof key !== 'string') return undefined;
              const sample = SAMPLES[key];
              if (!sample) missing.add(`${path}: ${key}`);
              return sample?.[variant] ?? '';
            },
          },
        );
        out.push({ path: `${path}#${variant}`, text: String(value(params)) });
      }
    } else if (value && typeof value === 'object')
      for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key);
  };
  walk(catalogue, '');
  return out;
}

const ACCOUNT = {
  vpc: 'vpc-bp1v2c3d4',
  vpn: 'vpn-bp1x2y3z4',
  cgw: 'cgw-bp1abc234',
  vco: 'vco-bp1q2w3e4',
};

type Scenario = 'fits' | 'empty' | 'full';

/** A scripted account answering the list actions the checks call, in three states. */
function scriptedCloud(scenario: Scenario): CheckContext {
  const page = (plural: string, singular: string, items: CloudItem[], total = items.length) => ({
    [plural]: { [singular]: items },
    TotalCount: total,
  });
  const none = scenario === 'empty';
  const full = scenario === 'full';
  const answers: Record<string, (p: Record<string, unknown>) => Record<string, unknown>> = {
    DescribeVpcs: (p) =>
      page(
        'Vpcs',
        'Vpc',
        none ? [] : [{ VpcId: p.VpcId, VpcName: full ? '' : '生产', CidrBlock: '10.0.0.0/8' }],
      ),
    DescribeVSwitches: () =>
      page(
        'VSwitches',
        'VSwitch',
        none
          ? []
          : [
              { VSwitchId: 'vsw-bp1aaaa1', ZoneId: 'cn-hangzhou-a' },
              { VSwitchId: 'vsw-bp1bbbb2', ZoneId: full ? 'cn-hangzhou-a' : 'cn-hangzhou-b' },
            ],
      ),
    DescribeVpnGatewayAvailableZones: () => ({
      AvailableZoneIdList: (full
        ? ['cn-hangzhou-a', 'cn-hangzhou-c']
        : ['cn-hangzhou-a', 'cn-hangzhou-b']
      ).map((ZoneId) => ({ ZoneId })),
    }),
    DescribeVpnGateways: () =>
      page(
        'VpnGateways',
        'VpnGateway',
        none
          ? []
          : [
              {
                VpnGatewayId: ACCOUNT.vpn,
                Status: full ? 'provisioning' : 'active',
                IpsecVpn: 'enable',
                DisasterRecoveryVSwitchId: 'vsw-bp1bbbb2',
                ChargeType: full ? 'PREPAY' : 'POSTPAY',
                EndTime: full ? 4_102_444_800_000 : 0,
              },
            ],
        full ? 30 : 1,
      ),
    DescribeCustomerGateways: (p) =>
      page(
        'CustomerGateways',
        'CustomerGateway',
        none ? [] : [{ CustomerGatewayId: ACCOUNT.cgw, IpAddress: full ? '47.96.1.10' : '47.96.1.99', ...p }],
        full ? 100 : 1,
      ),
    DescribeVpnConnections: () =>
      page(
        'VpnConnections',
        'VpnConnection',
        full
          ? Array.from({ length: 10 }, (_, i) => ({
              VpnConnectionId: `${ACCOUNT.vco}${i}`,
              VpnGatewayId: ACCOUNT.vpn,
              CustomerGatewayId: ACCOUNT.cgw,
            }))
          : [],
      ),
  };
  return {
    async call<T>(action: string, params: Record<string, unknown>): Promise<T> {
      const answer = answers[action];
      if (!answer) throw new Error(`the scripted account has no ${action}`);
      const { RegionId: _r, PageNumber: _n, PageSize: _s, ...rest } = params;
      return answer(action === 'DescribeCustomerGateways' ? {} : rest) as T;
    },
    options: {},
    listOf: (type) => resourceOf(type).list,
  };
}

/** Parameters the checks of each built-in type are run with. */
const CHECKED: Record<string, RequestParams[]> = {
  vpn_gateway: [
    {
      RegionId: 'cn-hangzhou',
      VpcId: ACCOUNT.vpc,
      Bandwidth: 10,
      VSwitchId: 'vsw-bp1aaaa1',
      DisasterRecoveryVSwitchId: 'vsw-bp1bbbb2',
    },
  ],
  customer_gateway: [{ RegionId: 'cn-hangzhou', IpAddress: '47.96.1.10' }],
  vpn_connection: [
    { RegionId: 'me-east-1', VpnGatewayId: ACCOUNT.vpn, CustomerGatewayId: ACCOUNT.cgw },
    {
      RegionId: 'cn-hangzhou',
      VpnGatewayId: ACCOUNT.vpn,
      [TUNNEL_CGW[0]]: ACCOUNT.cgw,
      [TUNNEL_CGW[1]]: ACCOUNT.cgw,
    },
  ],
};

const FACTS: Readonly<Record<string, string>>[] = [
  {
    InternetIp: '47.96.1.20',
    DisasterRecoveryInternetIp: '47.96.1.21',
    Spec: '10 Mbit/s',
    OrderId: '2027011512345',
    Tunnel1: 'tun-bp1a · cgw-bp1abc234 · ipsec_sa_established',
    Tunnel1Role: 'master',
    Tunnel2: 'tun-bp1b · cgw-bp1abc235 · ike_sa_not_established',
    Tunnel2Role: 'slave',
  },
  { InternetIp: '47.96.1.20', Tunnel1: 'cgw-bp1abc234 · ike_sa_not_established' },
];

const LIST_ITEM: CloudItem = {
  Name: '生产网关',
  Status: 'active',
  VpcId: ACCOUNT.vpc,
  InternetIp: '47.96.1.20',
  DisasterRecoveryInternetIp: '47.96.1.21',
  Spec: '10M',
  ChargeType: 'PostPaid',
  IpAddress: '47.96.1.10',
  Asn: '65001',
  VpnGatewayId: ACCOUNT.vpn,
  LocalSubnet: '192.168.0.0/16',
  RemoteSubnet: '172.16.0.0/16',
  TunnelOptionsSpecification: {
    TunnelOptions: [
      {
        TunnelId: 'tun-bp1a',
        Role: 'master',
        CustomerGatewayId: ACCOUNT.cgw,
        TunnelIkeConfig: { Psk: 'k1' },
      },
      { TunnelId: 'tun-bp1b', Role: 'slave', CustomerGatewayId: ACCOUNT.cgw, TunnelIkeConfig: { Psk: 'k2' } },
    ],
  },
};

/** Every Chinese text a declaration can show, with where it came from. */
async function declarationTexts(resource: Resource): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  const add = (path: string, t: Text | string | undefined) => {
    if (t !== undefined)
      out.push({ path: `${resource.type}.${path}`, text: typeof t === 'string' ? t : t['zh-CN'] });
  };
  add('title', resource.title);
  add('summary', resource.summary);
  add('advancedHeading', resource.advancedHeading);
  add('followUp', resource.followUp?.label);
  add('reveal', resource.reveal?.label);
  for (const p of resource.params) {
    add(`${p.name}.label`, p.label);
    add(`${p.name}.help`, p.help);
    add(`${p.name}.placeholder`, p.placeholder);
    add(`${p.name}.warning`, p.warning);
    add(`${p.name}.requiredWhen`, p.requiredWhen?.message);
    const { values } = p;
    const choices =
      typeof values === 'function'
        ? [{}, { NetworkType: 'private' }].flatMap((v) => values(v, {}))
        : (values ?? []);
    for (const c of choices) add(`${p.name}.choice`, c.label);
    for (const [i, rule] of (p.rules ?? []).entries())
      for (const sample of ['192.168.1.5/24', '10.0.0.0', 'ab@c', '', '1,2,3'])
        add(`${p.name}.rule${i}`, typeof rule.message === 'function' ? rule.message(sample) : rule.message);
  }
  for (const [i, rule] of resource.crossRules.entries())
    add(
      `crossRule${i}`,
      rule.message({ RegionId: 'me-east-1', LocalSubnet: '192.168.0.0/16', RemoteSubnet: '192.168.10.0/24' }),
    );
  add('timeoutHint', resource.watch?.timeoutHint(ACCOUNT.vpn, 'ap-southeast-1'));
  for (const facts of FACTS) {
    const params = { RegionId: 'me-east-1', Bandwidth: 10, IpAddress: '47.96.1.10', Asn: '65001' };
    for (const row of resource.result(facts, params, 'zh-CN')) {
      add('result.label', row.label);
      add('result.value', row.value);
    }
    if (resource.settle) {
      add('settled', resource.settle.settled(ACCOUNT.vco, facts, 'zh-CN'));
      add(
        'unsettled',
        resource.settle.unsettled(ACCOUNT.vco, facts, zh.duration({ ms: 7_200_000 }), 'zh-CN'),
      );
    }
  }
  for (const row of resource.delete?.describe(LIST_ITEM) ?? []) add('delete.describe', row.label);
  for (const answer of [LIST_ITEM, { IkeConfig: { Psk: 'k' } }])
    for (const secret of resource.reveal?.read(answer, 'zh-CN') ?? []) add('reveal.read', secret.label);
  const deleteParams = { RegionId: 'cn-hangzhou', [resource.list.idParam]: ACCOUNT.vpn } as RequestParams;
  const runs = [
    ...(CHECKED[resource.type] ?? []).map((params) => ({ params, checks: checksFor(resource, 'create') })),
    { params: deleteParams, checks: checksFor(resource, 'delete') },
  ];
  for (const scenario of ['fits', 'empty', 'full'] as const)
    for (const { params, checks } of runs)
      for (const check of checks) {
        if (check.when && !check.when(params)) continue;
        const found = await check.run(params, scriptedCloud(scenario));
        for (const outcome of 'detail' in found ? [found] : found)
          add(`check.${check.id}.${scenario}`, outcome.detail);
      }
  return out;
}

/** The Chinese string literals of a source file, with each inserted value as a neutral mark. */
function chineseLiterals(file: string): { line: number; text: string }[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: { line: number; text: string }[] = [];
  const visit = (node: ts.Node) => {
    let text: string | undefined;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (ts.isTemplateExpression(node))
      text = node.head.text + node.templateSpans.map((s) => NEUTRAL + s.literal.text).join('');
    if (text !== undefined && /\p{Script=Han}/u.test(text))
      out.push({ line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text });
    // A template's inserted expressions may hold literals of their own.
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

const tsFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));

function report(found: { path: string; text: string }[]): string[] {
  return found.flatMap(({ path, text }) => chineseProblems(text).map((p) => `${path}: ${p} — ${text}`));
}

describe('Chinese messages', () => {
  it('every entry of the Chinese catalogue reads well, with sample parameters', () => {
    const missing = new Set<string>();
    const found = catalogueTexts(zh, missing);
    expect([...missing], 'parameters with no sample').toEqual([]);
    expect(found.length).toBeGreaterThan(200);
    expect(report(found)).toEqual([]);
    // The English catalogue takes the same samples without throwing, and says something for each.
    for (const { path, text } of catalogueTexts(en, missing)) expect(text, path).not.toBe('');
  });

  it('every Chinese text of every declaration reads well', async () => {
    const found = (await Promise.all(resources().map(declarationTexts))).flat();
    expect(found.filter((f) => f.path.includes('.check.')).length).toBeGreaterThan(30);
    expect(report(found)).toEqual([]);
  });

  it('every field error reads well in Chinese and starts with the field’s label', () => {
    const errors = fieldErrorsOfBadInput();
    expect(errors.length).toBeGreaterThan(40);
    expect(report(errors.map((e) => ({ path: `${e.resource}.${e.param}`, text: e.error['zh-CN'] })))).toEqual(
      [],
    );
    for (const e of errors)
      expect(e.error['zh-CN'].startsWith(`${e.label['zh-CN']}：`), e.error['zh-CN']).toBe(true);
  });

  it('every Chinese literal in the sources of the catalogue and the declarations reads well', () => {
    const files = [...tsFiles('src/resources'), 'src/i18n/messages/zh-CN.ts'];
    const found = files.flatMap((file) =>
      chineseLiterals(file).map(({ line, text }) => ({ path: `${file}:${line}`, text })),
    );
    expect(found.length).toBeGreaterThan(300);
    expect(report(found)).toEqual([]);
  });

  it('has its words in the catalogue: the Slack surface and the workflow hold no Chinese of their own', () => {
    const files = [
      ...tsFiles('src/slack'),
      ...tsFiles('src/workflow'),
      'src/resources/validation.ts',
      'src/resources/derive.ts',
    ];
    const found = files.flatMap((file) => chineseLiterals(file).map(({ line }) => `${file}:${line}`));
    expect(found).toEqual([]);
  });
});
