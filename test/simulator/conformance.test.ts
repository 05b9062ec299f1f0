import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  conformanceProblems,
  popClient,
  SPECS_DIR,
  specsPresent,
  startTestSimulator,
  type TestSimulator,
} from '../support/simulator.js';

const KEY = { accessKeyId: 'conf-key', accessKeySecret: 'conf-secret' };
let sim: TestSimulator;

beforeAll(async () => {
  sim = await startTestSimulator(KEY);
});
afterAll(() => sim.close());

describe(`the conformance check against Alibaba's metadata (${SPECS_DIR})`, () => {
  it.skipIf(!specsPresent)(
    'accepts what the metadata lists, RepeatList entries included (skipped: ../shared/specs/aliyun-vpc is absent)',
    () => {
      expect(
        conformanceProblems({
          action: 'CreateCustomerGateway',
          params: {
            RegionId: 'cn-hangzhou',
            IpAddress: '47.1.2.3',
            Name: 'office',
            'Tags.1.Key': 'team',
            'Tags.1.Value': 'net',
            Signature: 'x',
            Timestamp: '2025-01-01T00:00:00Z',
          },
        }),
      ).toEqual([]);
    },
  );

  it.skipIf(!specsPresent)(
    'reports unknown and missing parameters, wrong types and "undefined" values (skipped: ../shared/specs/aliyun-vpc is absent)',
    () => {
      expect(
        conformanceProblems({
          action: 'CreateVpnGateway',
          params: {
            RegionId: 'cn-hangzhou',
            Bandwidth: '5M',
            Colour: 'blue',
            Name: 'undefined',
            'Name.1': 'x',
          },
        }),
      ).toEqual([
        'CreateVpnGateway: Bandwidth="5M" is not Integer',
        'CreateVpnGateway: unknown parameter Colour',
        'CreateVpnGateway: Name sent as "undefined"',
        'CreateVpnGateway: unknown parameter Name.1',
        'CreateVpnGateway: missing required VpcId',
      ]);
      expect(conformanceProblems({ action: 'CreateRocket', params: {} })).toEqual([
        'CreateRocket: no official metadata for this action',
      ]);
    },
  );

  it.skipIf(!specsPresent)(
    'sees every request the simulator receives (skipped: ../shared/specs/aliyun-vpc is absent)',
    async () => {
      await popClient(sim, KEY).call('DescribeRegions', { AcceptLanguage: 'en-US' });
      expect(sim.conformanceViolations()).toEqual([]);
      // The simulator, like Alibaba, ignores a parameter it does not know; the check does not.
      await popClient(sim, KEY).call('DescribeRegions', { AcceptLanguage: 'en-US', Verbose: true });
      expect(sim.conformanceViolations(true)).toEqual(['DescribeRegions: unknown parameter Verbose']);
      expect(sim.conformanceViolations()).toEqual([]);
    },
  );
});
