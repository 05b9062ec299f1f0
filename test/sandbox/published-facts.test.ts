/**
 * The facts the bot publishes about the platforms, held against two independent sources: Alibaba's
 * official API metadata (../shared/specs/aliyun-vpc/, where present) and the sandbox's own tables,
 * written from the platforms' documentation (src/sandbox/simulator/alibaba.ts,
 * src/sandbox/fake-slack/limits.ts). A wrong value in the bot fails here, not only in production.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BANDWIDTH_VALUES,
  DEFAULT_LOCAL_ASN,
  DUAL_TUNNEL_REGIONS,
  publishedRateLimits,
  RESERVED_TUNNEL_CIDRS,
  SSL_CONNECTION_VALUES,
} from '../../src/resources/index.js';
import { SLACK_REFUSES_OVER } from '../../src/sandbox/fake-slack/limits.js';
import {
  BGP_TUNNELS,
  DUAL_TUNNEL_REGION_IDS,
  PUBLISHED_LIMITS_PER_MINUTE,
  SSL_CONNECTION_COUNTS,
  VPN_GATEWAY_BANDWIDTHS,
} from '../../src/sandbox/simulator/alibaba.js';
import { SLACK_LIMITS } from '../../src/slack/limits.js';

const SPECS = path.resolve(process.cwd(), '../shared/specs/aliyun-vpc');
const present = existsSync(SPECS);
if (!present) console.warn(`official metadata checks skipped: Alibaba's metadata is not at ${SPECS}`);

/** A parameter's description in the official metadata of an action. */
function described(action: string, parameter: string): string {
  const meta = JSON.parse(readFileSync(path.join(SPECS, `${action}.json`), 'utf8')) as {
    parameters: { name: string; description: string }[];
  };
  const found = meta.parameters.find((p) => p.name === parameter);
  if (!found) throw new Error(`${action} has no parameter ${parameter}`);
  return found.description;
}

/** The bold numbers of one sentence of a description: "valid values are **10**, **100** …". */
function boldNumbers(sentence: string): number[] {
  return [...sentence.matchAll(/\*\*(\d+)\*\*/g)].map((m) => Number(m[1]));
}

describe("the bot's VPN gateway facts", () => {
  it.skipIf(!present)("bandwidths per network type are the official metadata's", () => {
    const lines = described('CreateVpnGateway', 'Bandwidth').split('\n');
    const publicLine = lines.find((l) => /public VPN gateway/.test(l)) ?? '';
    const privateLine = lines.find((l) => /private VPN gateway/.test(l)) ?? '';
    expect(boldNumbers(publicLine)).toEqual([...BANDWIDTH_VALUES.public]);
    expect(boldNumbers(privateLine)).toEqual([...BANDWIDTH_VALUES.private]);
  });

  it('bandwidths per network type are the simulator’s', () => {
    expect(BANDWIDTH_VALUES).toEqual(VPN_GATEWAY_BANDWIDTHS);
  });

  it.skipIf(!present)("SSL-VPN connection counts are the official metadata's and the simulator's", () => {
    expect([...SSL_CONNECTION_VALUES]).toEqual(boldNumbers(described('CreateVpnGateway', 'SslConnections')));
    expect([...SSL_CONNECTION_VALUES]).toEqual([...SSL_CONNECTION_COUNTS]);
  });

  it('dual-tunnel regions are the simulator’s table (Alibaba’s of October 2024)', () => {
    expect([...DUAL_TUNNEL_REGIONS].sort()).toEqual([...DUAL_TUNNEL_REGION_IDS].sort());
  });
});

describe("the bot's BGP tunnel facts", () => {
  it.skipIf(!present)(
    "reserved /30s and Alibaba's default ASN are the official metadata's and the simulator's",
    () => {
      const bgpConfig = described('CreateVpnConnection', 'BgpConfig');
      const reserved = [...bgpConfig.matchAll(/169\.254\.\d+\.\d+\/30/g)].map((m) => m[0]);
      expect([...RESERVED_TUNNEL_CIDRS]).toEqual(reserved);
      expect(bgpConfig).toContain(`Default value: **${DEFAULT_LOCAL_ASN}**`);
    },
  );

  it('are the simulator’s', () => {
    expect([...RESERVED_TUNNEL_CIDRS]).toEqual([...BGP_TUNNELS.reserved]);
    expect(DEFAULT_LOCAL_ASN).toBe(BGP_TUNNELS.defaultLocalAsn);
  });
});

describe("the bot's published rate limits", () => {
  it('are the simulator’s, action by action, per minute', () => {
    const bot = Object.fromEntries(
      Object.entries(publishedRateLimits()).map(([action, l]) => [
        action,
        ((l?.limit ?? 0) * 60_000) / (l?.periodMs ?? 1),
      ]),
    );
    expect(bot).toEqual(PUBLISHED_LIMITS_PER_MINUTE);
  });
});

describe("the bot's Slack limits", () => {
  it('are the ones the fake Slack refuses beyond, every one of them', () => {
    expect(SLACK_LIMITS).toEqual(SLACK_REFUSES_OVER);
  });
});
