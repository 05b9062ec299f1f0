/**
 * The shape of a resource type's declaration (docs/architecture.md, "Resource types"). One
 * declaration per resource type holds
 * its parameters, how it is created (and deleted), how its state is watched, its preflight checks,
 * what its result shows and its slash-command words; the modal, the validation, the approval
 * summary, the API call, the worker and the messages are all derived from it. Nothing outside a
 * declaration branches on a resource type.
 */
import type { Locale, Text } from '../i18n/index.js';
import type { PeerConfig } from './peer-config/model.js';

/** How a value is typed once validated. `tags` is `key=value` lines, sent as `Tags.N.Key`/`Tags.N.Value`. */
export type ParamType = 'string' | 'integer' | 'boolean' | 'tags';

/**
 * How the modal asks for a value (docs/architecture.md, "Names Slack sees", says which parameters
 * use which).
 */
export type InputHint = 'text' | 'multiline' | 'static_select' | 'radio' | 'checkbox' | 'external_select';

export type ParamValue = string | number | boolean;
/** Values keyed by API parameter name, as they stand at some point (form input, defaults applied). */
export type ParamValues = Readonly<Record<string, ParamValue | undefined>>;

export interface ValueChoice {
  value: ParamValue;
  label: Text;
}

/**
 * A check on a present, well-typed string value. The message is what follows the field's label in
 * the field error: what is wrong, then what to do ("starts with http://. Remove the prefix.").
 */
export interface ValueRule {
  test: (value: string) => boolean;
  /** Fixed, or naming the part of the value that is wrong. */
  message: Text | ((value: string) => Text);
}

/**
 * A setting a resource type declares (a quota, a value list Alibaba has changed since the seeds,
 * the dual-tunnel regions): read from the environment by the configuration, which reports every
 * problem at start, and read back by the declaration through `settingOf`.
 */
export interface Setting<T> {
  /** The environment variable (`VPN_BANDWIDTH_VALUES`); also the key its value is kept under. */
  readonly variable: string;
  /** The value while the variable is unset. */
  readonly default: T;
  /** The value of a set variable, or what is wrong with it (naming the variable, with an example). */
  parse(text: string): { ok: true; value: T } | { ok: false; problem: string };
}

/** Values of settings set in the environment, by variable; a setting not here has its default. */
export type SettingValues = Readonly<Record<string, unknown>>;

/** What changes what a declaration accepts, from configuration. */
export interface ResourceOptions {
  /** The declared settings that are set (see `settingOf`). */
  settings?: SettingValues;
  /** False when no key is configured to keep secret parameters encrypted: they are refused. */
  secretsAvailable?: boolean;
}

/**
 * What a pick-list may use to narrow a list down to what the parameter can take (vSwitches in the
 * zones that can host a VPN gateway of the bandwidth chosen so far): the form's values so far and
 * the cloud.
 */
export interface NarrowContext {
  /** The parameter whose options are asked for. */
  param: string;
  /** A value chosen so far in the form, as the form holds it. */
  chosen(param: string): string | undefined;
  options: ResourceOptions;
  call: CheckContext['call'];
}

/** What a declaration's own proposals may use: the form so far, what is being typed, the cloud. */
export interface ProposeContext extends NarrowContext {
  /** What the person has typed in the select so far (may be empty). */
  typed: string;
}

/**
 * Values a declaration proposes itself rather than a list of the account's objects (the free BGP
 * tunnel /30s of the chosen VPN gateway), best first; what was typed narrows them down.
 */
export interface Proposals {
  propose: (ctx: ProposeContext) => Promise<readonly ValueChoice[]>;
}

/** Where an `external_select` gets its options from (the options loader knows each source). */
export interface PickList {
  /**
   * Regions, VPCs and vSwitches of the chosen region; or the region's resources of a registered
   * type (by its `type`); or values the declaration proposes.
   */
  list: 'region' | 'vpc' | 'vswitch' | { resource: string } | Proposals;
  /** The items this parameter can take, in the order to offer them; unset: all, as listed. */
  narrow?: (items: readonly CloudItem[], ctx: NarrowContext) => Promise<readonly CloudItem[]>;
  /** What the pick-list says when `narrow` leaves nothing (why, and what to do). */
  noneFits?: Text;
}

/** A condition on one other parameter's value (with the options), e.g. Period only with PREPAY. */
export interface Condition {
  param: string;
  test: (value: ParamValue | undefined, options: ResourceOptions) => boolean;
  /**
   * Another condition that must hold too: a BGP tunnel's /30 applies when BGP is on *and* the
   * region makes dual-tunnel connections (a leftover "on" after switching region does not count).
   */
  also?: Condition;
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
  /**
   * A placeholder read from the account once `after` is chosen (the VPC's own range under the local
   * networks, once the VPN gateway is known); `placeholder` until then, or when the cloud is slow.
   * The modal re-renders when `after` changes.
   */
  readonly suggest?: { after: string; read: (ctx: NarrowContext) => Promise<Text | undefined> };
  readonly source?: PickList;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly rules?: readonly ValueRule[];
  /** Rewrites a valid typed string into the one form that is sent and compared (an ASN `1.2` → `65538`). */
  readonly normalize?: (value: string) => string;
  /**
   * What the field means although it breaks a rule (a CIDR list with host bits set, as the
   * networks it names), for the rules across fields to judge at the same time. Unset: nothing.
   */
  readonly readAnyway?: (typed: string) => ParamValue | undefined;
  /**
   * A value that is allowed but most often a mistake (a customer gateway's private address): the
   * form asks once, saying why (`message`), and takes it when it is sent again unchanged.
   */
  readonly confirmWhen?: { test: (value: ParamValue) => boolean; message: (value: ParamValue) => Text };
  /** Shown in the modal next to the field, when `warnWhen` holds (always, without it). */
  readonly warning?: Text;
  readonly warnWhen?: Condition;
  /**
   * Applies only when this holds: otherwise it is neither shown in the modal nor sent (a Slack
   * select cannot be cleared, so a leftover Period after switching to POSTPAY is ignored, not refused).
   */
  readonly onlyWhen?: Condition;
  /** Required only when this holds (a second vSwitch in a dual-tunnel region); `message` says why, as a rule's does. */
  readonly requiredWhen?: Condition & { message: Text };
  /**
   * A secret (a BGP key): kept encrypted until the create call, shown only as "set"
   * (docs/architecture.md, "Secrets at rest").
   */
  readonly secret?: boolean;
  /**
   * A setting with a default people can leave alone (IKE/IPsec algorithms): the modal gathers
   * these under one heading at the end, and the approval summary names them in one line while
   * they keep their defaults.
   */
  readonly advanced?: boolean;
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

/** A rule across parameters, reported on `param` as a rule's message is; `holds` sees the normalised parameters. */
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
  /** How a registered resource type is listed (its declaration's `list`), for a check about another type. */
  listOf(type: string): ListSpec;
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

/** A cloud list item, as the API answers it. */
export type CloudItem = Readonly<Record<string, unknown>>;

/**
 * How the cloud lists a resource type in a region: the paged list action (`DescribeVpnGateways`),
 * its wrappers (`{VpnGateways: {VpnGateway: [...]}}`), the id field, and the parameter that both
 * filters the list to one id and names the resource in a delete call (`VpnGatewayId`).
 */
export interface ListSpec {
  action: string;
  plural: string;
  singular: string;
  idField: string;
  idParam: string;
  /** How an item reads in a pick-list (`name · id · IP`). */
  label: (item: CloudItem) => string;
  /** Which items a pick-list offers (a VPN gateway that can take a connection now); unset: all. */
  offer?: (item: CloudItem, regionId: string, options: ResourceOptions) => boolean;
}

/**
 * How a resource's state is watched after create: one sweep of the region's list (one paged list
 * call answers for every watched resource there), until ready or `PROVISION_TIMEOUT`.
 */
export interface RegionSweep {
  observe: (item: CloudItem) => Observation;
  /** Said when the time limit passes: what may still happen and how to check. */
  timeoutHint: (id: string, regionId: string) => Text;
}

/**
 * Watching on after success, for a resource that is made at once but only works once the other
 * side acts (an IPsec connection's tunnels come up when the on-premises device is configured):
 * the same region sweep, up to a window (`CONNECTION_WATCH`), posting once when settled or once
 * when the window ends.
 */
export interface SettleSpec {
  observe: (item: CloudItem) => { settled: boolean; facts: Readonly<Record<string, string>> };
  /** The thread message when it settled (both tunnels up). */
  settled: (id: string, facts: Readonly<Record<string, string>>, locale: Locale) => string;
  /** The thread message when the window ended first: what never came up and what to check. */
  unsettled: (id: string, facts: Readonly<Record<string, string>>, waited: string, locale: Locale) => string;
  /**
   * What the facts last recorded show down (a line per tunnel not up), for the list of what is down
   * now; empty when nothing is. @defaultValue nothing is ever shown down
   */
  down?: (facts: Readonly<Record<string, string>>) => Text[];
}

/** One part of a resource whose state is followed for its whole life (a connection's tunnel). */
export interface HealthPart {
  /** Stable within the resource (`Tunnel1`). */
  key: string;
  /** How people name it (its role and id). */
  label: Text;
  up: boolean;
}

/**
 * Health for the resource's whole life, after its settle window (`TUNNEL_HEALTH_INTERVAL`): the
 * same list the watch reads (`list`), one listing per account and region serving every resource
 * there; the parts followed are read from the facts the row gives (`facts`, the watch's own), and
 * a part that changes between up and down, seen so on two looks in a row, is said once each way.
 */
export interface HealthSpec {
  /** The facts kept from a listed row (the stored facts the tunnels-down index reads). */
  facts: (item: CloudItem) => Record<string, string>;
  /** The parts the facts show, up or not. */
  parts: (facts: Readonly<Record<string, string>>) => HealthPart[];
  /** The thread message when a part went down: which, since when, what to check. */
  down: (id: string, part: string, since: string, locale: Locale) => string;
  /** The thread message when it is back, with how long it was down. */
  back: (id: string, part: string, downFor: string, locale: Locale) => string;
}

/** One approved attribute compared with what the account lists now. */
export interface DriftAttribute {
  /** Stable within the type (`LocalSubnet`). */
  key: string;
  label: Text;
  /** The approved value, from the request's parameters; '' when the request set none (not compared). */
  approved: (params: RequestParams) => string;
  /** The value now, from the listed row, in the same form. */
  now: (item: CloudItem) => string;
}

/**
 * Drift: a resource the bot made that is gone from the account, or whose approved attributes now
 * differ, seen by the same sweep as its health; each difference is said once in its thread.
 */
export interface DriftSpec {
  attributes: readonly DriftAttribute[];
}

/**
 * The account's quota of a resource type: how many it may have (a setting, whose default is
 * Alibaba's), counted per region, or per value of a parameter (IPsec connections per VPN gateway).
 * Declaring it is enough: the preflight checks there is room before every create.
 */
export interface QuotaSpec {
  setting: Setting<number>;
  /** Count only the region's items whose field of this name holds the request's value of it (the list filters by it). */
  per?: string;
  /**
   * Another check of the type lists the region too (`notTakenInRegion`): read the count from the
   * list's first page, which the preflight then asks for once, instead of from a page of one.
   */
  sharesListPage?: boolean;
  /** What is counted, in a sentence: "VPN gateways". */
  what: { en: string; zh: string };
}

/**
 * Another resource type this one uses (an IPsec connection uses a VPN gateway and customer
 * gateways): that resource cannot be deleted while one of these uses it. The delete check of the
 * type used is derived from this, so the type used never names its dependants.
 */
export interface Uses {
  /** The type used (`vpn_gateway`). */
  resource: string;
  /** The ids of that type a listed item of this type uses. */
  ids: (item: CloudItem) => readonly string[];
}

/** The parameters of a delete request: the region and the resource's id under the list's `idParam`. */
export type DeleteParams = RequestParams;

/** How a resource is deleted (docs/requests.md, "Deletes"). */
export interface DeleteSpec {
  /** The API action (`DeleteVpnGateway`), called with RegionId, the id and ClientToken. */
  action: string;
  /** The resource stays listed (`deleting`) for a while after the call: watched until it is gone. */
  watched: boolean;
  /**
   * What must hold before deleting beyond existing and nothing using it (which every type's
   * `uses` already tells): not a subscription in its term.
   */
  preflight?: readonly Check<DeleteParams>[];
  /** What an approver reads of the resource about to be deleted, from its list item. */
  describe: (item: CloudItem) => ResultFact[];
}

/**
 * How a resource's pre-shared keys are replaced (`/gateway rotate-key`: docs/requests.md, "Key
 * rotation"). The bot makes a key per part (a tunnel) and sends them in one change call: they
 * exist only in that call, never stored, logged or posted.
 */
export interface RotateKeySpec {
  /** The change action (`ModifyVpnConnectionAttribute`), called with RegionId, the id, ClientToken and `params`. */
  action: string;
  /** The describe action read right before the call, whose answer the call is built from (`DescribeVpnConnection`). */
  read: string;
  /**
   * The call's parameters besides RegionId, the id and ClientToken, from the current settings:
   * what Alibaba needs sent with each part's new key (`keyOf(part id)`), as the resource has it now.
   */
  params: (current: CloudItem, keyOf: (part: string) => string) => Record<string, ParamValue>;
  /** What an approver reads of the resource whose keys change (its name, its tunnels), from its list item. */
  describe: (item: CloudItem) => ResultFact[];
  /** The change goes on after the call: the region's list is watched until this says it is done. */
  watch: RegionSweep;
  /** What the result says beyond the new keys' buttons: what stays down until the other side has them. */
  done: Text;
}

/**
 * How an existing resource made outside the bot is taken into a channel (`/gateway adopt`:
 * docs/requests.md, "Adoption"): nothing changes in the cloud; from then on the bot follows it as
 * if it had made it (health, drift from how it was when taken over, delete, key rotation).
 */
export interface AdoptSpec {
  /** What an approver reads of the resource to be taken over, from its list item. */
  describe: (item: CloudItem) => ResultFact[];
}

/**
 * A button on a successful result that opens another resource type's modal with what this one
 * knows filled in (`connect_gateways`: docs/architecture.md, "Names Slack sees").
 */
export interface FollowUp {
  /** The resource type whose modal opens. */
  resource: string;
  label: Text;
  values: (resourceId: string, params: RequestParams, options: ResourceOptions) => ParamValues;
}

/**
 * Secrets the cloud generated and keeps (an IPsec pre-shared key): never stored or posted, read
 * when the requester or an approver asks (`reveal_psk`: docs/requests.md, "The pre-shared key").
 */
export interface RevealSpec {
  /** The describe action that answers them (`DescribeVpnConnection`), called with RegionId and the id. */
  action: string;
  label: Text;
  read: (answer: CloudItem, locale: Locale) => { label: string; value: string }[];
}

/**
 * The configuration of the device at the other end (an IPsec connection's on-premises device),
 * read when the requester or an approver asks (`peer_config`: docs/requests.md, "The peer's
 * configuration"). It holds the pre-shared key: never stored, logged or posted in a channel.
 */
export interface PeerConfigSpec {
  /**
   * The actions that answer it, each called with RegionId and the id (DownloadVpnConnectionConfig
   * for the device's side, DescribeVpnConnection for BGP), at every look.
   */
  actions: readonly string[];
  label: Text;
  /** The configuration, from the answers by action. */
  read: (answers: Readonly<Record<string, CloudItem>>, id: string) => PeerConfig;
}

/** One line of a result: a label and a value. */
export interface ResultFact {
  label: Text;
  value: string;
  /** Text a person once typed (a name the cloud keeps): shown as data, never as formatting. */
  typed?: boolean;
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
  /** The heading of the `advanced` parameters in the modal. */
  advancedHeading?: Text;
  crossRules?: readonly CrossRule<ParamsOf<Ps>>[];
  /**
   * Values that must be unique per region among live requests (a customer gateway's IP): each
   * entry is a parameter, or parameters that are unique together (a gateway and a customer gateway).
   */
  unique?: readonly ((keyof ParamsOf<Ps> & string) | readonly (keyof ParamsOf<Ps> & string)[])[];
  create: CreateSpec;
  list: ListSpec;
  /** Settings of this type beyond its quota (the VPN gateway's bandwidth values, dual-tunnel regions). */
  settings?: readonly Setting<unknown>[];
  quota?: QuotaSpec;
  uses?: readonly Uses[];
  /** Actions it calls besides create, list, delete, key rotation, reveal and the peer's configuration (a zone lookup), for the rate pacing. */
  calls?: readonly string[];
  /** Rate limits Alibaba publishes for its actions, calls per minute (the pacing's defaults; see rate-limits.ts). */
  publishedLimits?: Readonly<Record<string, number>>;
  /** Unset: the resource is ready when the create call answers. */
  watch?: RegionSweep;
  settle?: SettleSpec;
  /** Unset: nothing of it is followed after its settle window. */
  health?: HealthSpec;
  /** Unset: nothing of it is compared after creation. */
  drift?: DriftSpec;
  /** Unset: `/gateway delete` refuses this type. */
  delete?: DeleteSpec;
  /** Unset: `/gateway rotate-key` refuses this type. */
  rotateKey?: RotateKeySpec;
  /** Unset: `/gateway adopt` refuses this type. */
  adopt?: AdoptSpec;
  followUp?: FollowUp;
  reveal?: RevealSpec;
  peerConfig?: PeerConfigSpec;
  /**
   * The parameters as the API takes them, from the flat ones the form and the summary use (JSON
   * strings, a setting repeated per tunnel). Unset: sent as they are.
   */
  wire?: (params: Readonly<Record<string, ParamValue>>) => Record<string, ParamValue>;
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
  readonly advancedHeading?: Text;
  readonly crossRules: readonly CrossRule[];
  readonly unique: readonly (readonly string[])[];
  readonly create: CreateSpec;
  readonly list: ListSpec;
  readonly settings: readonly Setting<unknown>[];
  readonly quota?: QuotaSpec;
  readonly uses: readonly Uses[];
  readonly calls: readonly string[];
  readonly publishedLimits: Readonly<Record<string, number>>;
  readonly watch?: RegionSweep;
  readonly settle?: SettleSpec;
  readonly health?: HealthSpec;
  readonly drift?: DriftSpec;
  readonly delete?: DeleteSpec;
  readonly rotateKey?: RotateKeySpec;
  readonly adopt?: AdoptSpec;
  readonly followUp?: FollowUp;
  readonly reveal?: RevealSpec;
  readonly peerConfig?: PeerConfigSpec;
  wire(params: Readonly<Record<string, ParamValue>>): Record<string, ParamValue>;
  readonly preflight: readonly Check<RequestParams>[];
  result(facts: Readonly<Record<string, string>>, params: RequestParams, locale: Locale): ResultFact[];
  readonly readyStatus: string;
}
