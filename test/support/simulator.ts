/**
 * The VPC simulator for tests, with a conformance check on every request it receives against
 * Alibaba's official API metadata (`../shared/specs/aliyun-vpc/<Action>.json`, read in place):
 * each parameter sent (but the common ones) must exist for the action — a RepeatList `Tag` covers
 * `Tag.1.Key`, an Array covers the fields of its elements sent flat (`TunnelOptionsSpecification.1.Role`,
 * `TunnelOptionsSpecification.1.TunnelIkeConfig.IkeVersion`) — with a value of its type (Integer,
 * Long, Boolean), never the strings "undefined" or
 * "null" that pop-core makes of missing values; each required parameter must be present.
 * Without the specs folder the check is skipped, and says so once (console.warn).
 *
 *   startTestSimulator(options?: SimulatorOptions): Promise<TestSimulator>
 *     TestSimulator = RunningSimulator & {
 *       conformanceViolations(clear?): string[]   problems seen so far, one line each; `true` also
 *                                           forgets them (after requests broken on purpose)
 *       expectConformance(): void           fails the test if there are any (afterEach / afterAll)
 *     }
 *   specsPresent: boolean, SPECS_DIR: string
 *   conformanceProblems(record: { action, params }): string[]   one request, checked alone
 *   popClient(sim, overrides?): PopClient   the unmodified pop-core RPCClient, typed, for this simulator
 *   isPopError(err): err is PopError        pop-core's error shape (code, data) as a type guard
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import RPCClient from '@alicloud/pop-core';
import { expect } from 'vitest';
import {
  COMMON_PARAMS,
  type RequestRecord,
  type RunningSimulator,
  type SimulatorOptions,
  startSimulator,
} from '../../src/sandbox/simulator/index.js';

export const SPECS_DIR = fileURLToPath(new URL('../../../shared/specs/aliyun-vpc/', import.meta.url));
export const specsPresent = existsSync(SPECS_DIR);
let warned = false;

export interface ActionSpec {
  parameters: { name: string; type: string; required: boolean }[];
}
const cache = new Map<string, ActionSpec | undefined>();

function actionSpec(action: string): ActionSpec | undefined {
  if (!cache.has(action)) {
    const file = `${SPECS_DIR}${action}.json`;
    cache.set(action, existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ActionSpec) : undefined);
  }
  return cache.get(action);
}

/**
 * The fields of one element of an `Array` parameter, which the metadata does not list (it gives
 * TunnelOptionsSpecification no sub_parameters): from the request model of Alibaba's V2 SDK
 * (`CreateVpnConnectionRequestTunnelOptionsSpecification` in @alicloud/vpc20160428 7.3). pop-core
 * does not flatten an object nested in an element, so a nested field is sent flat by its path.
 */
const CREATE_TUNNEL_FIELDS: Readonly<Record<string, string>> = {
  CustomerGatewayId: 'String',
  Role: 'String',
  EnableDpd: 'Boolean',
  EnableNatTraversal: 'Boolean',
  RemoteCaCertificate: 'String',
  'TunnelBgpConfig.LocalAsn': 'Long',
  'TunnelBgpConfig.LocalBgpIp': 'String',
  'TunnelBgpConfig.TunnelCidr': 'String',
  'TunnelIkeConfig.IkeAuthAlg': 'String',
  'TunnelIkeConfig.IkeEncAlg': 'String',
  'TunnelIkeConfig.IkeLifetime': 'Long',
  'TunnelIkeConfig.IkeMode': 'String',
  'TunnelIkeConfig.IkePfs': 'String',
  'TunnelIkeConfig.IkeVersion': 'String',
  'TunnelIkeConfig.LocalId': 'String',
  'TunnelIkeConfig.Psk': 'String',
  'TunnelIkeConfig.RemoteId': 'String',
  'TunnelIpsecConfig.IpsecAuthAlg': 'String',
  'TunnelIpsecConfig.IpsecEncAlg': 'String',
  'TunnelIpsecConfig.IpsecLifetime': 'Long',
  'TunnelIpsecConfig.IpsecPfs': 'String',
};
/**
 * ModifyVpnConnectionAttributeRequestTunnelOptionsSpecification, of the same SDK, has the same
 * fields and the tunnel's id.
 */
const ARRAY_ELEMENT_FIELDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'CreateVpnConnection.TunnelOptionsSpecification': CREATE_TUNNEL_FIELDS,
  'ModifyVpnConnectionAttribute.TunnelOptionsSpecification': { ...CREATE_TUNNEL_FIELDS, TunnelId: 'String' },
};

/** The type of `Name.N.Field` for an Array parameter `Name` of the action, if the field is known. */
function arrayElementType(action: string, sent: string, base: string): string | undefined {
  const fields = ARRAY_ELEMENT_FIELDS[`${action}.${base}`];
  const m = /^[^.]+\.[1-9]\d*\.(.+)$/.exec(sent);
  return fields && m && Object.hasOwn(fields, m[1] as string) ? fields[m[1] as string] : undefined;
}

const TYPE_CHECKS: Record<string, RegExp> = {
  Integer: /^-?\d{1,10}$/,
  Long: /^-?\d{1,19}$/,
  Boolean: /^(true|false)$/,
};

/**
 * Problems with one request against the official metadata (empty when it conforms). `extra` gives
 * metadata for actions Alibaba does not have (a test's throwaway resource type).
 */
export function conformanceProblems(
  record: Pick<RequestRecord, 'action' | 'params'>,
  extra: Readonly<Record<string, ActionSpec>> = {},
): string[] {
  const spec = extra[record.action] ?? actionSpec(record.action);
  if (!spec) return [`${record.action}: no official metadata for this action`];
  const problems: string[] = [];
  const byName = new Map(spec.parameters.map((p) => [p.name, p]));
  for (const [sent, value] of Object.entries(record.params)) {
    if (COMMON_PARAMS.has(sent)) continue;
    const base = sent.split('.')[0] as string; // Tag.1.Key → Tag (RepeatList)
    const container = byName.get(base);
    if (byName.get(sent)?.type === 'Array') {
      problems.push(`${record.action}: ${sent} is an Array, to be sent as ${sent}.N.<Field>`);
      continue;
    }
    const type =
      byName.get(sent)?.type ??
      (container?.type === 'RepeatList'
        ? container.type
        : container?.type === 'Array'
          ? arrayElementType(record.action, sent, base)
          : undefined);
    if (type === undefined) {
      problems.push(`${record.action}: unknown parameter ${sent}`);
      continue;
    }
    if (value === 'undefined' || value === 'null')
      problems.push(`${record.action}: ${sent} sent as "${value}"`);
    const check = TYPE_CHECKS[type];
    if (check && !check.test(value)) problems.push(`${record.action}: ${sent}="${value}" is not ${type}`);
  }
  for (const p of spec.parameters) {
    if (p.required && record.params[p.name] === undefined)
      problems.push(`${record.action}: missing required ${p.name}`);
  }
  return problems;
}

export interface TestSimulator extends RunningSimulator {
  conformanceViolations(clear?: boolean): string[];
  expectConformance(): void;
}

export type TestSimulatorOptions = SimulatorOptions & {
  /** Metadata for the extra actions a test adds (`actions`), in the official files' shape. */
  specs?: Readonly<Record<string, ActionSpec>>;
};

export async function startTestSimulator(options: TestSimulatorOptions = {}): Promise<TestSimulator> {
  const violations: string[] = [];
  if (!specsPresent && !warned) {
    warned = true;
    console.warn(`VPC conformance checks skipped: Alibaba's API metadata is not at ${SPECS_DIR}`);
  }
  const sim = await startSimulator({
    ...options,
    onRequest: (record) => {
      if (specsPresent) violations.push(...conformanceProblems(record, options.specs));
      options.onRequest?.(record);
    },
  });
  return Object.assign(sim, {
    conformanceViolations: (clear = false) => (clear ? violations.splice(0) : [...violations]),
    expectConformance: () => expect(violations).toEqual([]),
  });
}

/** What `request()` takes: pop-core sends each value with String(), arrays as `Name.1`, `Name.2`… */
export type PopParams = Record<
  string,
  string | number | boolean | readonly (string | Record<string, string>)[]
>;

export interface PopClient {
  /** Sends the action by POST (form body) unless told otherwise; `timeout` in ms (pop-core: 3000). */
  call<T = Record<string, unknown>>(
    action: string,
    params?: PopParams,
    opts?: { method?: 'GET' | 'POST'; timeout?: number },
  ): Promise<T & { RequestId: string }>;
}

/** The unmodified pop-core RPCClient, pointed at the simulator with its key pair (or overrides). */
export function popClient(
  sim: Pick<RunningSimulator, 'url'>,
  overrides: { accessKeyId?: string; accessKeySecret?: string; securityToken?: string } = {},
): PopClient {
  const client = new RPCClient({
    endpoint: sim.url,
    apiVersion: '2016-04-28',
    accessKeyId: overrides.accessKeyId ?? 'sandbox',
    accessKeySecret: overrides.accessKeySecret ?? 'sandbox-secret',
    ...(overrides.securityToken !== undefined ? { securityToken: overrides.securityToken } : {}),
  });
  return {
    call: (action, params = {}, opts = {}) =>
      client.request(action, params, { method: opts.method ?? 'POST', timeout: opts.timeout ?? 3_000 }),
  };
}

/** pop-core's error for an answer with a `Code`: the code, and the whole body as `data`. */
export interface PopError extends Error {
  code: string;
  data: { RequestId: string; HostId: string; Code: string; Message: string; Recommend: string };
  entry?: { response?: { statusCode?: number } };
}

export function isPopError(err: unknown): err is PopError {
  return err instanceof Error && typeof (err as Partial<PopError>).code === 'string' && 'data' in err;
}
