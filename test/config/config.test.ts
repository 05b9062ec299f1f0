import { describe, expect, it } from 'vitest';
import { ConfigError, formatDuration, loadConfig, parseDuration } from '../../src/config/index.js';
import { defaultRateLimits } from '../../src/resources/index.js';

const HTTP_WORKSPACE = {
  SLACK_BOT_TOKEN: 'xoxb-test-token',
  SLACK_SIGNING_SECRET: 'signing-secret-value',
  ALIBABA_CLOUD_ACCESS_KEY_ID: 'test-key-id',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'test-key-secret-value',
  APPROVERS: 'U0LEADA,U0LEADB',
};

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['5m', 300_000],
    ['24h', 86_400_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1_500],
    [' 2M ', 120_000],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '10', 'ten seconds', '10 s', '-5s', '5d', 's', '1h-30m'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('formats durations for people', () => {
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(0)).toBe('0ms');
  });
});

describe('loadConfig', () => {
  it('applies the contract defaults', () => {
    const config = loadConfig(HTTP_WORKSPACE);
    expect(config).toMatchObject({
      role: 'all',
      port: 3000,
      slashCommand: '/gateway',
      locale: 'en',
      slack: { mode: 'http', botToken: 'xoxb-test-token', signingSecret: 'signing-secret-value' },
      redis: { url: 'redis://127.0.0.1:6379', prefix: '{gw}' },
      cloud: { mode: 'cloud', requestTimeoutMs: 10_000 },
      approval: {
        approvers: ['U0LEADA', 'U0LEADB'],
        allowSelfApproval: false,
        requiredApprovals: 1,
        ttlMs: 86_400_000,
      },
      polling: { intervalMs: 10_000, maxIntervalMs: 60_000, provisionTimeoutMs: 1_800_000 },
      // Every resource setting keeps its declared default (bandwidths per network type, Alibaba's
      // dual-tunnel table, the seed's SSL connection counts, Alibaba's quotas).
      resources: { settings: {} },
      sandbox: { provisionTimeMs: 90_000, deleteTimeMs: 30_000 },
    });
    expect(config.secretsKey).toBeUndefined();
    expect(config.slack.apiUrl).toBeUndefined();
    expect(config.cloud.endpoint).toBeUndefined();
    expect(config.cloud.credentials).toEqual({
      accessKeyId: 'test-key-id',
      accessKeySecret: 'test-key-secret-value',
    });
  });

  it('chooses Socket Mode when an app token is set, and needs no signing secret then', () => {
    const config = loadConfig({
      ...HTTP_WORKSPACE,
      SLACK_SIGNING_SECRET: '',
      SLACK_APP_TOKEN: 'xapp-1-test',
    });
    expect(config.slack.mode).toBe('socket');
    expect(config.slack.appToken).toBe('xapp-1-test');
  });

  it('runs the playground against the simulator with nothing configured', () => {
    const config = loadConfig({});
    expect(config.slack.mode).toBe('playground');
    expect(config.cloud.mode).toBe('sandbox');
    // Nobody is named: the playground names its two team leads (test/sandbox/playground).
    expect(config.approval.approvers).toEqual([]);
  });

  it('reads every variable of the contract', () => {
    const config = loadConfig({
      ...HTTP_WORKSPACE,
      ROLE: 'worker',
      PORT: '8080',
      SLASH_COMMAND: '/gw',
      LOCALE: 'zh-CN',
      SLACK_API_URL: 'http://127.0.0.1:4000/api',
      REDIS_URL: 'redis://redis:6379/2',
      REDIS_PREFIX: '{gw-prod}',
      ALIBABA_CLOUD_SECURITY_TOKEN: 'sts-token-value',
      ALIBABA_CLOUD_VPC_ENDPOINT: 'http://127.0.0.1:9000',
      APPROVER_USERGROUP: 'S0614TZR7',
      ALLOW_SELF_APPROVAL: 'true',
      REQUIRED_APPROVALS: '2',
      APPROVAL_TTL: '2h',
      POLL_INTERVAL: '5s',
      POLL_MAX_INTERVAL: '1m',
      PROVISION_TIMEOUT: '15m',
      VPN_BANDWIDTH_VALUES: '10,100,200,500,1000',
      VPN_SSL_CONNECTION_VALUES: '5,10,20,50,100,1000',
      VPN_DUAL_TUNNEL_REGIONS: 'cn-hangzhou, ap-southeast-1',
      VPN_GATEWAY_QUOTA: '60',
      CUSTOMER_GATEWAY_QUOTA: '200',
      REQUEST_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
      VPC_REQUEST_TIMEOUT: '5s',
    });
    expect(config).toMatchObject({
      role: 'worker',
      port: 8080,
      slashCommand: '/gw',
      locale: 'zh-CN',
      slack: { apiUrl: 'http://127.0.0.1:4000/api/' },
      redis: { url: 'redis://redis:6379/2', prefix: '{gw-prod}' },
      cloud: {
        mode: 'cloud',
        endpoint: 'http://127.0.0.1:9000',
        requestTimeoutMs: 5_000,
        credentials: { securityToken: 'sts-token-value' },
      },
      approval: { usergroup: 'S0614TZR7', allowSelfApproval: true, requiredApprovals: 2, ttlMs: 7_200_000 },
      polling: { intervalMs: 5_000, maxIntervalMs: 60_000, provisionTimeoutMs: 900_000 },
      resources: {
        settings: {
          VPN_BANDWIDTH_VALUES: [10, 100, 200, 500, 1000],
          VPN_SSL_CONNECTION_VALUES: [5, 10, 20, 50, 100, 1000],
          VPN_DUAL_TUNNEL_REGIONS: ['cn-hangzhou', 'ap-southeast-1'],
          VPN_GATEWAY_QUOTA: 60,
          CUSTOMER_GATEWAY_QUOTA: 200,
        },
      },
      secretsKey: Buffer.alloc(32, 7).toString('base64'),
    });
  });

  it('uses the simulator with a workspace only when VPC_SANDBOX=true, ignoring any endpoint', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: 'signing-secret-value',
      APPROVERS: 'U0LEADA',
      VPC_SANDBOX: 'true',
      ALIBABA_CLOUD_VPC_ENDPOINT: 'http://127.0.0.1:9000',
    });
    expect(config.cloud.mode).toBe('sandbox');
    expect(config.cloud.endpoint).toBeUndefined();
    expect(config.cloud.credentials).toBeUndefined();
  });

  it('never falls back to the simulator for a real workspace without credentials', () => {
    const problems = problemsOf({
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: 'signing-secret-value',
      APPROVERS: 'U0LEADA',
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/ALIBABA_CLOUD_ACCESS_KEY_ID.*VPC_SANDBOX=true/);
  });

  it('lists every problem at once, each naming its variable', () => {
    const problems = problemsOf({
      SLACK_BOT_TOKEN: 'xoxp-user-token-not-a-bot-token',
      ROLE: 'scheduler',
      PORT: '70000',
      LOCALE: 'fr',
      APPROVERS: 'alice,U0LEADA',
      APPROVER_USERGROUP: '@leads',
      REQUIRED_APPROVALS: 'two',
      APPROVAL_TTL: '24',
      POLL_INTERVAL: '10 seconds',
      REDIS_URL: 'localhost:6379',
      REDIS_PREFIX: 'gw',
      SLACK_API_URL: 'slack.example',
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'only-the-id',
      VPN_BANDWIDTH_VALUES: '5,ten',
      VPN_DUAL_TUNNEL_REGIONS: 'Hangzhou',
      REQUEST_SECRETS_KEY: 'too-short',
      ALLOW_SELF_APPROVAL: 'maybe',
    });
    for (const name of [
      'SLACK_BOT_TOKEN',
      'ROLE',
      'PORT',
      'LOCALE',
      'APPROVERS',
      'APPROVER_USERGROUP',
      'REQUIRED_APPROVALS',
      'APPROVAL_TTL',
      'POLL_INTERVAL',
      'REDIS_URL',
      'REDIS_PREFIX',
      'SLACK_API_URL',
      'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
      'VPN_BANDWIDTH_VALUES',
      'VPN_DUAL_TUNNEL_REGIONS',
      'REQUEST_SECRETS_KEY',
      'ALLOW_SELF_APPROVAL',
    ]) {
      expect(
        problems.some((p) => p.startsWith(name) || p.includes(`${name} `)),
        name,
      ).toBe(true);
    }
    expect(problems.length).toBeGreaterThanOrEqual(17);
    // A secret's value is never repeated in a problem.
    expect(problems.join('\n')).not.toContain('too-short');
  });

  it('takes "none" for no dual-tunnel region', () => {
    expect(
      loadConfig({ ...HTTP_WORKSPACE, VPN_DUAL_TUNNEL_REGIONS: 'none' }).resources.settings
        .VPN_DUAL_TUNNEL_REGIONS,
    ).toEqual([]);
  });

  it('reports cross-field problems', () => {
    const problems = problemsOf({
      ...HTTP_WORKSPACE,
      SLACK_SIGNING_SECRET: ' ',
      APPROVERS: 'U0LEADA',
      REQUIRED_APPROVALS: '2',
      POLL_INTERVAL: '2m',
      POLL_MAX_INTERVAL: '1m',
      PROVISION_TIMEOUT: '1m',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^SLACK_SIGNING_SECRET is required/),
      expect.stringMatching(/^REQUIRED_APPROVALS is 2 but APPROVERS lists only 1/),
      'POLL_MAX_INTERVAL must be at least POLL_INTERVAL',
      expect.stringMatching(/^PROVISION_TIMEOUT must be longer than POLL_INTERVAL/),
    ]);
  });

  it('reads APPROVAL_REMINDER: off unless set, and every problem with it listed', () => {
    expect(loadConfig(HTTP_WORKSPACE).approval.reminderMs).toBeUndefined();
    expect(loadConfig({ ...HTTP_WORKSPACE, APPROVAL_REMINDER: 'off' }).approval.reminderMs).toBeUndefined();
    expect(loadConfig({ ...HTTP_WORKSPACE, APPROVAL_REMINDER: '4h' }).approval.reminderMs).toBe(14_400_000);
    expect(problemsOf({ ...HTTP_WORKSPACE, APPROVAL_REMINDER: '4', POLL_INTERVAL: 'soon' })).toEqual([
      'APPROVAL_REMINDER must be a positive duration with a unit, such as 30m or 4h, or off (got "4")',
      expect.stringMatching(/^POLL_INTERVAL must be a positive duration/),
    ]);
    expect(problemsOf({ ...HTTP_WORKSPACE, APPROVAL_REMINDER: '30s' })).toEqual([
      'APPROVAL_REMINDER must be at least 1m, or a thread fills with reminders (got "30s")',
    ]);
    expect(problemsOf({ ...HTTP_WORKSPACE, APPROVAL_REMINDER: '30s', APPROVAL_TTL: '20s' })).toEqual([
      'APPROVAL_REMINDER must be at least 1m, or a thread fills with reminders (got "30s")',
      'APPROVAL_REMINDER (30s) must be shorter than APPROVAL_TTL (20s): a request expires before its first reminder',
    ]);
    expect(problemsOf({ ...HTTP_WORKSPACE, APPROVAL_REMINDER: '24h' })).toEqual([
      'APPROVAL_REMINDER (24h) must be shorter than APPROVAL_TTL (24h): a request expires before its first reminder',
    ]);
  });

  it('reads TUNNEL_HEALTH_INTERVAL: 5 m unless set, off, or any interval from 1 s', () => {
    expect(loadConfig(HTTP_WORKSPACE).polling.healthIntervalMs).toBe(300_000);
    expect(
      loadConfig({ ...HTTP_WORKSPACE, TUNNEL_HEALTH_INTERVAL: 'off' }).polling.healthIntervalMs,
    ).toBeUndefined();
    expect(loadConfig({ ...HTTP_WORKSPACE, TUNNEL_HEALTH_INTERVAL: '1s' }).polling.healthIntervalMs).toBe(
      1_000,
    );
    expect(problemsOf({ ...HTTP_WORKSPACE, TUNNEL_HEALTH_INTERVAL: '500ms' })).toEqual([
      'TUNNEL_HEALTH_INTERVAL must be a duration of at least 1s, such as 30s or 5m, or off (got "500ms")',
    ]);
  });

  it('reads APPROVER_USERGROUP_REFRESH: 30 s unless set, at most an hour', () => {
    expect(loadConfig(HTTP_WORKSPACE).approval.usergroupRefreshMs).toBe(30_000);
    expect(
      loadConfig({ ...HTTP_WORKSPACE, APPROVER_USERGROUP_REFRESH: '5m' }).approval.usergroupRefreshMs,
    ).toBe(300_000);
    expect(problemsOf({ ...HTTP_WORKSPACE, APPROVER_USERGROUP_REFRESH: '2h' })).toEqual([
      'APPROVER_USERGROUP_REFRESH must be at most 1h: someone removed from an approver group could approve for as long when Slack\'s event is lost (got "2h")',
    ]);
    expect(problemsOf({ ...HTTP_WORKSPACE, APPROVER_USERGROUP_REFRESH: 'often' })).toEqual([
      'APPROVER_USERGROUP_REFRESH must be a positive duration with a unit, such as 500ms, 10s, 5m or 24h (got "often")',
    ]);
  });

  it('requires someone who may approve with a workspace', () => {
    const problems = problemsOf({ ...HTTP_WORKSPACE, APPROVERS: '' });
    expect(problems).toEqual([expect.stringMatching(/^Nobody may approve/)]);
  });

  it('never shows a secret value in a problem', () => {
    const secrets = {
      SLACK_BOT_TOKEN: 'not-a-token-SECRET1',
      SLACK_APP_TOKEN: 'not-an-app-token-SECRET2',
      SLACK_SIGNING_SECRET: 'SECRET3',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'SECRET4',
      ALIBABA_CLOUD_SECURITY_TOKEN: 'SECRET5',
    };
    let message = '';
    try {
      loadConfig(secrets);
    } catch (err) {
      message = `${(err as Error).message}\n${(err as Error).stack ?? ''}`;
    }
    expect(message).toContain('Configuration is invalid');
    for (const value of Object.values(secrets)) expect(message).not.toContain(value);
  });

  it('is a pure function of the env object it is given', () => {
    const env = { ...HTTP_WORKSPACE };
    const before = JSON.stringify(env);
    expect(loadConfig(env)).toEqual(loadConfig(env));
    expect(JSON.stringify(env)).toBe(before);
  });
});

describe('credential sources', () => {
  it('uses the credential chain when a chain variable is set instead of keys', () => {
    const {
      ALIBABA_CLOUD_ACCESS_KEY_ID: _id,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: _secret,
      ...noKeys
    } = HTTP_WORKSPACE;
    const oidc = loadConfig({
      ...noKeys,
      ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::1:role/gw',
      ALIBABA_CLOUD_OIDC_PROVIDER_ARN: 'acs:ram::1:oidc-provider/k8s',
      ALIBABA_CLOUD_OIDC_TOKEN_FILE: '/var/run/token',
    });
    expect(oidc.cloud).toMatchObject({ mode: 'cloud', credentialChain: true });
    expect(oidc.cloud.credentials).toBeUndefined();
    expect(
      loadConfig({ ...noKeys, ALIBABA_CLOUD_ECS_METADATA: 'gateway-bot-role' }).cloud.credentialChain,
    ).toBe(true);
    expect(loadConfig({ ...noKeys, ALIBABA_CLOUD_CREDENTIALS_CHAIN: 'true' }).cloud.credentialChain).toBe(
      true,
    );
    expect(loadConfig(HTTP_WORKSPACE).cloud.credentialChain).toBe(false);
  });
});

describe('VPC_RATE_LIMITS', () => {
  it('defaults to Alibaba’s published limits and our choice for the other actions the bot calls', () => {
    const limits = loadConfig(HTTP_WORKSPACE).cloud.rateLimits;
    expect(limits).toEqual(defaultRateLimits());
    expect(limits).toMatchObject({
      CreateVpnGateway: { limit: 60, periodMs: 60_000 },
      CreateCustomerGateway: { limit: 120, periodMs: 60_000 },
      DeleteCustomerGateway: { limit: 120, periodMs: 60_000 },
      DescribeVpnGateway: { limit: 600, periodMs: 60_000 },
      DescribeCustomerGateways: { limit: 600, periodMs: 60_000 },
    });
  });

  it('merges entries over the defaults, turns one action or everything off', () => {
    const { cloud } = loadConfig({
      ...HTTP_WORKSPACE,
      VPC_RATE_LIMITS: 'CreateCustomerGateway=240/min, DescribeVpnGateway=100/10s,DescribeRegions=off',
    });
    expect(cloud.rateLimits).toEqual({
      ...defaultRateLimits(),
      CreateCustomerGateway: { limit: 240, periodMs: 60_000 },
      DescribeVpnGateway: { limit: 100, periodMs: 10_000 },
      DescribeRegions: undefined,
    });
    expect('DescribeRegions' in cloud.rateLimits).toBe(false);
    expect(loadConfig({ ...HTTP_WORKSPACE, VPC_RATE_LIMITS: 'off' }).cloud.rateLimits).toEqual({});
    expect(
      loadConfig({ ...HTTP_WORKSPACE, VPC_RATE_LIMITS: 'off,CreateVpnGateway=30/min' }).cloud.rateLimits,
    ).toEqual({ CreateVpnGateway: { limit: 30, periodMs: 60_000 } });
  });

  it('lists each bad entry as its own problem, beside the other variables’ problems', () => {
    const problems = problemsOf({
      ...HTTP_WORKSPACE,
      PORT: 'http',
      VPC_RATE_LIMITS:
        'CreateCustomerGateways=120/min,CreateVpnGateway=60,DescribeVpcs=10/fortnight,DescribeVpcs=1/s,slow',
    });
    expect(problems).toEqual([
      expect.stringContaining('PORT'),
      expect.stringMatching(
        /^VPC_RATE_LIMITS: CreateCustomerGateways is not an action it knows \(known: .*CreateCustomerGateway,/,
      ),
      expect.stringMatching(/^VPC_RATE_LIMITS: CreateVpnGateway=60: the count must be/),
      expect.stringMatching(/^VPC_RATE_LIMITS: DescribeVpcs=10\/fortnight: the period must be/),
      'VPC_RATE_LIMITS: DescribeVpcs is given twice',
      expect.stringMatching(/^VPC_RATE_LIMITS: "slow" is not Action=count\/period/),
    ]);
    // Names that every JavaScript object has are not presets, units or actions.
    expect(
      problemsOf({
        ...HTTP_WORKSPACE,
        VPC_RATE_LIMITS: 'toString,CreateVpnGateway=1/constructor,constructor=1/s',
      }),
    ).toEqual([
      expect.stringMatching(/^VPC_RATE_LIMITS: "toString" is not Action=count\/period/),
      expect.stringMatching(/^VPC_RATE_LIMITS: CreateVpnGateway=1\/constructor: the period must be/),
      expect.stringMatching(/^VPC_RATE_LIMITS: constructor is not an action it knows/),
    ]);
  });
});
