import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVpcClient, type DescribeRegionsResponse, regionalEndpoint } from '../../src/cloud/index.js';

interface Seen {
  method: string;
  contentType: string | undefined;
  url: string;
  params: Record<string, string>;
}

let server: Server;
let endpoint = '';
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        contentType: req.headers['content-type'],
        url: req.url ?? '',
        params: Object.fromEntries(new URLSearchParams(body)),
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ RequestId: 'R-OK', VpnGatewayId: 'vpn-1' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
beforeEach(() => {
  seen.length = 0;
});
afterAll(() => server.close());

describe('createVpcClient', () => {
  it('POSTs a signed form body with PascalCase names, strings for values, and nothing undefined or null', async () => {
    const events: unknown[] = [];
    const client = createVpcClient({
      accessKeyId: 'AK',
      accessKeySecret: 'S',
      endpoint,
      onCall: (e) => events.push(e),
    });
    await client.call('CreateVpnGateway', {
      RegionId: 'cn-hangzhou',
      VpcId: 'vpc-1',
      Bandwidth: 10,
      EnableSsl: false,
      Name: undefined,
      VSwitchId: null as unknown as undefined,

      ClientToken: 'gw-1',
    });
    const [call] = seen;
    expect(call?.method).toBe('POST');
    expect(call?.url).toBe('/');
    expect(call?.contentType).toBe('application/x-www-form-urlencoded');
    expect(call?.params).toMatchObject({
      Action: 'CreateVpnGateway',
      Version: '2016-04-28',
      RegionId: 'cn-hangzhou',
      VpcId: 'vpc-1',
      Bandwidth: '10',
      EnableSsl: 'false',
      ClientToken: 'gw-1',
      AccessKeyId: 'AK',
    });
    expect(call?.params.Signature).toBeTruthy();
    expect(Object.keys(call?.params ?? {})).not.toContain('Name');
    expect(Object.keys(call?.params ?? {})).not.toContain('VSwitchId');
    expect(Object.values(call?.params ?? {})).not.toContain('undefined');
    expect(events).toEqual([
      expect.objectContaining({ action: 'CreateVpnGateway', regionId: 'cn-hangzhou', ok: true }),
    ]);
  });

  it('sends an STS token, and takes credentials from a provider', async () => {
    await createVpcClient({
      accessKeyId: 'AK',
      accessKeySecret: 'S',
      securityToken: 'TOKEN',
      endpoint,
    }).call<DescribeRegionsResponse>('DescribeRegions', {});
    expect(seen[0]?.params.SecurityToken).toBe('TOKEN');
    let asked = 0;
    const provider = {
      getCredentials: async () => {
        asked++;
        return { accessKeyId: `AK${asked}`, accessKeySecret: 'S', securityToken: `T${asked}` };
      },
    };
    const client = createVpcClient({ credentialsProvider: provider, endpoint });
    await client.call<DescribeRegionsResponse>('DescribeRegions', {});
    await client.call<DescribeRegionsResponse>('DescribeRegions', {});
    expect(seen.slice(1).map((s) => [s.params.AccessKeyId, s.params.SecurityToken])).toEqual([
      ['AK1', 'T1'],
      ['AK2', 'T2'],
    ]);
  });

  it('uses the regional endpoint unless one is configured', () => {
    expect(regionalEndpoint('cn-shanghai')).toBe('https://vpc.cn-shanghai.aliyuncs.com');
    expect(regionalEndpoint(undefined)).toBe('https://vpc.aliyuncs.com');
  });
});

describe('the Alibaba credential chain', () => {
  it('feeds pop-core through credentialsProvider, here from the environment variables the chain reads', async () => {
    const { defaultChainProvider } = await import('../../src/cloud/credentials.js');
    const saved = { ...process.env };
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = 'CHAIN-AK';
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = 'chain-secret';
    try {
      await createVpcClient({
        credentialsProvider: defaultChainProvider(),
        endpoint,
      }).call<DescribeRegionsResponse>('DescribeRegions', {});
      expect(seen[0]?.params.AccessKeyId).toBe('CHAIN-AK');
    } finally {
      process.env = saved;
    }
  });
});

describe('a connection reset under a call', () => {
  let resetting: Server;
  let url = '';
  let resetNext = 0;
  const calls: string[] = [];
  beforeAll(async () => {
    // Reads each call's action, then drops the connection for the next `resetNext` calls, as a
    // server closing a kept-alive connection under a call does.
    resetting = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        calls.push(new URLSearchParams(body).get('Action') ?? '');
        if (resetNext > 0) {
          resetNext--;
          req.socket.destroy();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ RequestId: 'R-OK', Regions: { Region: [] }, CustomerGatewayId: 'cgw-1' }));
      });
    });
    await new Promise<void>((r) => resetting.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(resetting.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    calls.length = 0;
  });
  afterAll(() => resetting.close());
  const client = () => createVpcClient({ accessKeyId: 'ak', accessKeySecret: 'sk', endpoint: url });

  it('sends a describe once more, and only once', async () => {
    resetNext = 1;
    await expect(client().call('DescribeRegions', {})).resolves.toMatchObject({ RequestId: 'R-OK' });
    expect(calls).toEqual(['DescribeRegions', 'DescribeRegions']);

    calls.length = 0;
    resetNext = 2;
    await expect(client().call('DescribeRegions', {})).rejects.toMatchObject({ code: 'ConnectionError' });
    expect(calls).toEqual(['DescribeRegions', 'DescribeRegions']);
  });

  it('sends the device configuration once more too: it only reads', async () => {
    calls.length = 0;
    resetNext = 1;
    const read = client().call('DownloadVpnConnectionConfig', {
      RegionId: 'cn-hangzhou',
      VpnConnectionId: 'vco-1',
    });
    await expect(read).resolves.toMatchObject({ RequestId: 'R-OK' });
    expect(calls).toEqual(['DownloadVpnConnectionConfig', 'DownloadVpnConnectionConfig']);
    calls.length = 0;
  });

  it('leaves a create to the step that retries it with its ClientToken', async () => {
    resetNext = 1;
    const create = client().call('CreateCustomerGateway', { RegionId: 'cn-hangzhou', ClientToken: 'gw-1' });
    await expect(create).rejects.toMatchObject({ code: 'ConnectionError', retryable: true });
    expect(calls).toEqual(['CreateCustomerGateway']);
  });
});
