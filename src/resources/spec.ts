/**
 * The shape of a resource type's declaration (design 8.1). One declaration per resource type holds
 * its parameters, how it is created (and deleted), how its state is watched, its preflight checks,
 * what its result shows and its slash-command words; the modal, the validation, the approval
 * summary, the API call, the worker and the messages are all derived from it. Nothing outside a
 * declaration branches on a resource type.
 */
import type { Locale, Text } from '../i18n/index.js';

/** How a value is typed once validated. `tags` is `key=value` lines, sent as `Tags.N.Key`/`Tags.N.Value`. */
export type ParamType = 'string' | 'integer' | 'boolean' | 'tags';

/** How the modal asks for a value (design section 4 fixes which parameters use which). */
export type InputHint = 'text' | 'multiline' | 'static_select' | 'radio' | 'checkbox' | 'external_select';

export type ParamValue = string | number | boolean;
/** Values keyed by API parameter name, as they stand at some point (form input, defaults applied). */
export type ParamValues = Readonly<Record<string, ParamValue | undefined>>;

export interface ValueChoice {
  value: ParamValue;
  label: Text;
}

/** A check on a present, well-typed string value; the message says what is wrong and what is allowed. */
export interface ValueRule {
  test: (value: string) => boolean;
  message: Text;
}

/**
 * Settings that change what a declaration accepts, from configuration: value lists Alibaba has
 * changed since the seeds, the dual-tunnel regions, whether secrets can be kept.
 */
export interface ResourceOptions {
  /** VPN gateway bandwidths (Mbit/s) for every network type; unset: today's values per network type. */
  bandwidthValues?: readonly number[];
  sslConnectionValues?: readonly number[];
  /** Regions where a new VPN gateway is dual-tunnel; unset: Alibaba's published table. */
  dualTunnelRegions?: readonly string[];
  /** False when no key is configured to keep secret parameters encrypted: they are refused. */
  secretsAvailable?: boolean;
}

/** Where an `external_select` gets its options from (the options loader knows each source). */
export interface PickList {
  list: 'region' | 'vpc' | 'vswitch';
  /** vSwitches only: offer just the zones that can host a VPN gateway of the chosen bandwidth. */
  vpnGatewayZones?: boolean;
}

/** A condition on one other parameter's value (with the options), e.g. Period only with PREPAY. */
export interface Condition {
  param: string;
  test: (value: ParamValue | undefined, options: ResourceOptions) => boolean;
}

export interface ParamSpec {
  /** Alibaba's parameter name; also the modal's block id and action id. */
  readonly name: string;
  readonly type: ParamType;
  readonly required: boolean;
  readonly label: Text;
  readonly help?: Text;
  readonly placeholder?: Text;
  readonly input: InputHint;
  readonly default?: ParamValue;
  /** A fixed value set, or one computed from the other values and the options. */
  readonly values?:
    | readonly ValueChoice[]
    | ((values: ParamValues, options: ResourceOptions) => readonly ValueChoice[]);
  /** Parameters whose value changes this one's choices: the modal re-renders when they change. */
  readonly dependsOn?: readonly string[];
  readonly source?: PickList;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly rules?: readonly ValueRule[];
  /** Rewrites a valid typed string into the one form that is sent and compared (an ASN `1.2` → `65538`). */
  readonly normalize?: (value: string) => string;
  /** Shown in the modal next to the field, when `warnWhen` holds (always, without it). */
  readonly warning?: Text;
  readonly warnWhen?: Condition;
  /**
   * Applies only when this holds: otherwise it is neither shown in the modal nor sent (a Slack
   * select cannot be cleared, so a leftover Period after switching to POSTPAY is ignored, not refused).
   */
  readonly onlyWhen?: Condition;
  /** Required only when this holds (a second vSwitch in a dual-tunnel region); `message` says why. */
  readonly requiredWhen?: Condition & { message: Text };
  /** A secret (a BGP key): kept encrypted until the create call, shown only as "set" (design 8.4). */
  readonly secret?: boolean;
}

/** What a value of a parameter type is in TypeScript. */
type TypeOf<T extends ParamType> = T extends 'integer' ? number : T extends 'boolean' ? boolean : string;

/**
 * The validated parameters of a declaration, typed from the declaration itself: a required
 * parameter is always there, any other may be absent. Every resource type has a `RegionId`.
 */
export type ParamsOf<Ps extends readonly ParamSpec[]> = {
  readonly [P in Ps[number] as P['required'] extends true ? P['name'] : never]: TypeOf<P['type']>;
} & {
  readonly [P in Ps[number] as P['required'] extends true ? never : P['name']]?: TypeOf<P['type']>;
};

/** Validated parameters whose declaration is not known statically (the workflow's view). */
export type RequestParams = Readonly<{ RegionId: string } & Record<string, ParamValue>>;

/** A rule across parameters, reported on `param`; `holds` sees the normalised parameters. */
export interface CrossRule<P = RequestParams> {
  param: string;
  holds: (params: P, options: ResourceOptions) => boolean;
  message: (params: P) => Text;
}

/** One preflight finding. `param` is the field a certain failure is shown on in the modal. */
export interface CheckOutcome {
  id: string;
  outcome: 'pass' | 'fail' | 'unknown';
  detail: Text;
  param?: string;
}

/**
 * What a check may ask the cloud. `call` is any VPC action (the VPC client's generic call); its
 * failures are CloudErrors, which the preflight turns into `unknown` findings.
 */
export interface CheckContext {
  call<T = Record<string, unknown>>(action: string, params: Record<string, ParamValue>): Promise<T>;
  options: ResourceOptions;
  /** Default account quotas, per region (Alibaba's defaults unless configured). */
  quotas: Readonly<Record<string, number>>;
}

/** A preflight check: what the cloud can tell before approval, and again right before the create call. */
export interface Check<P> {
  id: string;
  /** Whether it applies to these parameters (a vSwitch check only when one is given). */
  when?: (params: P) => boolean;
  run: (params: P, ctx: CheckContext) => Promise<CheckOutcome | readonly CheckOutcome[]>;
}

/** What the cloud says of a watched resource, in the workflow's words. */
export interface Observation {
  /** The cloud's status word (`provisioning`, `active`). */
  status: string;
  /** The resource is ready: the request has succeeded. */
  ready: boolean;
  /** Something a person must act on (an unpaid order), with the business status that says so. */
  attention?: { code: string; businessStatus: string };
  /** Facts to keep for the result (public IPs, the spec). */
  facts?: Readonly<Record<string, string>>;
}

/**
 * How a resource's state is watched after create: one sweep of the region's list (one paged list
 * call answers for every watched resource there), until ready or `PROVISION_TIMEOUT`.
 */
export interface RegionSweep {
  /** The paged list action (`DescribeVpnGateways`) and its wrappers. */
  list: { action: string; plural: string; singular: string; idField: string };
  observe: (item: Readonly<Record<string, unknown>>) => Observation;
  /** Said when the time limit passes: what may still happen and how to check. */
  timeoutHint: (id: string, regionId: string) => Text;
}

/** One line of a result: a label and a value (the cloud's facts, never user text). */
export interface ResultFact {
  label: Text;
  value: string;
}

/** What the create call needs and gives. */
export interface CreateSpec {
  /** The API action, e.g. `CreateVpnGateway`. */
  action: string;
  /** The field of the answer holding the new resource's id. */
  idField: string;
  /** Fields of the answer kept as facts (an `OrderId`). */
  keep?: readonly string[];
}

/** A resource type, as declared. `P` is the typed form of its validated parameters. */
export interface ResourceDefinition<Ps extends readonly ParamSpec[] = readonly ParamSpec[]> {
  /** `vpn_gateway`, `customer_gateway`: stored on requests, seen by policies. */
  type: string;
  /** Words after the slash command that open its modal (`/gateway vpn`). The first is the one shown in help. */
  words: readonly string[];
  /** The modal's `callback_id` (contract: `create_<type>`). */
  callbackId: string;
  title: Text;
  /** Help line for the command (`request a VPN gateway`). */
  summary: Text;
  /** Prefix of the ids the cloud gives it (`vpn-`), to recognise them in `/gateway status`. */
  idPrefix: string;
  params: Ps;
  crossRules?: readonly CrossRule<ParamsOf<Ps>>[];
  /** Parameter sets that must be unique per region among live requests and existing resources. */
  unique?: readonly (keyof ParamsOf<Ps> & string)[];
  create: CreateSpec;
  /** Unset: the resource is ready when the create call answers. */
  watch?: RegionSweep;
  preflight: readonly Check<ParamsOf<Ps>>[];
  /** Facts shown on success, from the cloud's facts and the parameters. */
  result: (facts: Readonly<Record<string, string>>, params: ParamsOf<Ps>, locale: Locale) => ResultFact[];
  /** The status word shown on success when nothing is watched (`available`). */
  readyStatus: string;
}

/** A declaration whose parameters are known only at run time: what the workflow dispatches through. */
export interface Resource {
  readonly type: string;
  readonly words: readonly string[];
  readonly callbackId: string;
  readonly title: Text;
  readonly summary: Text;
  readonly idPrefix: string;
  readonly params: readonly ParamSpec[];
  readonly crossRules: readonly CrossRule[];
  readonly unique: readonly string[];
  readonly create: CreateSpec;
  readonly watch?: RegionSweep;
  readonly preflight: readonly Check<RequestParams>[];
  result(facts: Readonly<Record<string, string>>, params: RequestParams, locale: Locale): ResultFact[];
  readonly readyStatus: string;
}
