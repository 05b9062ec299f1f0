/**
 * The workflow's front door: what a client (the Slack surface, the playground, a test) can ask
 * of it. Every decision is re-checked here against the stored record, never against what the
 * client believes, and every refusal comes back with a reason in both languages (the catalogue's),
 * for the client to show in the language of whoever is told.
 */
import type { Queue } from 'bullmq';
import { toCloudError } from '../cloud/errors.js';
import { type Account, accountsOf, DEFAULT_ACCOUNT } from '../config/index.js';
import { inBoth, type Locale, type Messages, type Text } from '../i18n/index.js';
import type { Policy } from '../policy/index.js';
import {
  findResource,
  paramsHash,
  type RequestParams,
  type Resource,
  type ResourceOptions,
  type ResultFact,
  readingValid,
  resourceByCloudId,
  resources,
  validateParams,
} from '../resources/index.js';
import {
  PEER_FORMATS,
  PeerConfigError,
  type PeerFormat,
  renderPeerConfig,
} from '../resources/peer-config/index.js';
import { ACCOUNT_FIELD, chooseAccount, regionProblem } from './account-choice.js';
import { hashedAccount } from './accounts.js';
import { type ApprovalPolicy, type GroupMembers, isApprover } from './approval-policy.js';
import { checkApprover, judgeSubmission } from './approval-requirement.js';
import { newRequestId } from './ids.js';
import { enqueueExpiry, enqueueFirstReminder, type MaintenanceJob } from './maintenance.js';
import type { NotificationOutbox } from './notifications.js';
import { preflightErrors, type RunPreflight } from './preflight.js';
import { enqueueProvisioning, type ProvisionJob } from './provisioner.js';
import type { CloudRow, ResourceCloud } from './resource-cloud.js';

/** A resource found in the cloud: in which account and region, and as listed there. */
interface Located {
  account: string;
  regionId: string;
  item: CloudRow;
}

import type { SecretBox } from './secrets.js';
import {
  FIRST_REFUSAL,
  type Refusal,
  type RefusalTally,
  type RequestStore,
  type UpdateResult,
} from './store.js';
import { decideApproval, decideCancel, decideRejection } from './transitions.js';
import {
  type AuditEvent,
  FINAL_STATES,
  type OnExisting,
  type Person,
  type ResourceRequest,
} from './types.js';

export interface WorkflowOptions {
  store: RequestStore;
  outbox: NotificationOutbox;
  provisionQueue: Queue<ProvisionJob>;
  maintenanceQueue: Queue<MaintenanceJob>;
  /** The base rule (APPROVERS …), always in force. */
  policy: ApprovalPolicy;
  /**
   * The approval policy file's rules in force now, asked at each submission and each click.
   * @defaultValue none: the base rule alone
   */
  policyInForce?: () => Policy | undefined;
  approvalTtlMs: number;
  /**
   * APPROVAL_REMINDER: a pending request is re-announced in its thread at this interval.
   * @defaultValue off
   */
  reminderEveryMs?: number;
  /** Runs a resource type's checks at submission (and the worker again before create). */
  preflight: RunPreflight;
  /**
   * Time the submission's checks may take: Slack wants the modal answered within 3 s, so a check
   * still running then is recorded as not checked (and runs again before the create call).
   * @defaultValue 1 500 ms
   */
  submitCheckBudgetMs?: number;
  resourceOptions?: ResourceOptions;
  /** Seals secret parameters; without it they are refused at submission. */
  secrets?: SecretBox;
  groupMembers?: GroupMembers;
  /**
   * The accounts the bot works in, each with the channels that may use it.
   * @defaultValue one account, `default`, for every channel
   */
  accounts?: readonly Account[];
  /** The cloud of an account: finds what a delete is about, reads what a result keeps back (a generated key). */
  cloudIn?: (account: string) => ResourceCloud;
  /**
   * Signs in to an account before anything is asked of it there (a RAM role assumed); throws as a
   * cloud call would. @defaultValue nothing to sign in to
   */
  signIn?: (account: string) => Promise<void>;
  now?: () => number;
}

export interface DeleteInput {
  /** The cloud id to delete (`vpn-…`, `cgw-…`, `vco-…`). */
  resourceId: string;
  requester: Person;
  channelId: string;
  locale: ResourceRequest['locale'];
  /** Lets a retried delivery of the same command land on the same request. */
  requestIdSeed?: string;
}

/** What an operation on an existing resource needs of its type, and the words it refuses in. */
const ON_EXISTING: Readonly<
  Record<
    OnExisting,
    {
      declared: (r: Resource) => { describe: (item: CloudRow) => ResultFact[] } | undefined;
      words: (
        m: Messages,
      ) => Pick<
        Messages['deletion'],
        'notAnId' | 'lookupFailed' | 'notInAccount' | 'blocked' | 'alreadyAsked'
      >;
      /**
       * Whose resource it must be: `bot`, one the bot made or adopted (in this channel: anything else
       * is as good as absent); `outside`, one the bot neither made nor adopted (an adoption).
       */
      owner: 'bot' | 'outside';
      /** What it sends is derived from REQUEST_SECRETS_KEY: refused without it, saying so. */
      needsSecretsKey?: (m: Messages) => string;
    }
  >
> = {
  delete: { declared: (r) => r.delete, words: (m) => m.deletion, owner: 'bot' },
  rotate_key: {
    declared: (r) => r.rotateKey,
    words: (m) => m.rotation,
    owner: 'bot',
    needsSecretsKey: (m) => m.rotation.noSecretsKey,
  },
  adopt: { declared: (r) => r.adopt, words: (m) => m.adoption, owner: 'outside' },
};

export type DeleteResult =
  | { ok: true; request: ResourceRequest; duplicate: boolean }
  | { ok: false; message: Text };

/**
 * A refused click: why, and where it was counted. Only the first refusal of an interval (`tally.first`)
 * is to be answered and logged; a repeat was counted in that one's audit event (see RequestStore.refuse).
 */
export interface Refused {
  ok: false;
  refusal: Refusal;
  tally: RefusalTally;
  request?: ResourceRequest;
}

export type RevealResult =
  | { ok: true; request: ResourceRequest; secrets: { label: string; value: string }[] }
  | Refused;

const isPeerFormat = (format: string): format is PeerFormat =>
  (PEER_FORMATS as readonly string[]).includes(format);

/** What a look at the peer's configuration (`peer_config`) is audited as. */
export const PEER_CONFIG_ACTION = 'peer_config';

/** The peer's configuration as text in the format asked for: it holds the keys, so it is never stored. */
export type PeerConfigResult =
  | { ok: true; request: ResourceRequest; format: PeerFormat; text: string }
  | Refused;

export interface SubmitInput {
  /** The resource type asked for (`vpn_gateway`). */
  resource: string;
  /** The account chosen in the form; unset where the channel may use one account only. */
  account?: string;
  /** Form values keyed by API parameter name, as the user entered them. */
  values: Record<string, unknown>;
  requester: Person;
  channelId: string;
  locale: ResourceRequest['locale'];
  /** Lets a retried submission (same Slack view id) land on the same request. */
  requestIdSeed?: string;
  /**
   * Values the person has been asked about once and sent again (a private address), by field: a
   * declared `confirmWhen` holds for them no more. @defaultValue none
   */
  confirmed?: Readonly<Record<string, string>>;
  /**
   * When the answer is due (`performance.now()`): the cloud checks then get what is left of their
   * budget, less what storing the request takes, so a submission that waited in a busy process
   * is still answered in time. @defaultValue no deadline: the checks get their whole budget
   */
  answerBy?: number;
}

export type SubmitResult =
  | { ok: true; request: ResourceRequest; duplicate: boolean }
  | {
      ok: false;
      errors: Record<string, Text>;
      /** Allowed values the form asks about once (`confirmWhen`), by field: nothing was stored. */
      confirm?: Record<string, { message: Text; value: string }>;
    };

/** Where a click came from: the channel and message Slack says the button was in. */
export interface ClickOrigin {
  channelId?: string;
  messageTs?: string;
  /**
   * The click came from the person's own page of what waits for them (`awaitingApproval`,
   * `requestsBy`), which is in no channel: there is no message to compare with the request's, and
   * every other check runs as for a click in the thread.
   */
  ownPage?: boolean;
  /**
   * With `ownPage`: the channels the person is in. A click from the page acts only on requests of
   * those, as a thread's button can be clicked only by someone who sees its channel; unset, on none.
   */
  memberOf?: ReadonlySet<string>;
}

/** A created resource last recorded with part of it down: what is down, and when it was recorded so. */
export interface DownResource {
  request: ResourceRequest;
  seenAt: number;
  down: Text[];
}

export type ActionResult = { ok: true; request: ResourceRequest } | Refused;

/**
 * Called once a click is known to change nothing, before its refusal is written to the audit
 * trail: a refusal loses nothing if the process dies before the record, so the answer to Slack
 * need not wait for it (an approval's answer still waits for its write).
 */
export type Refusing = () => void;

const DEFAULT_SUBMIT_CHECK_BUDGET_MS = 1_500;
/** Kept, before an answer's deadline, for what follows the checks: storing and scheduling. */
const AFTER_CHECKS_MS = 500;
/** However late, the checks get this long: a cloud that answers at once is still asked. */
const MIN_CHECK_BUDGET_MS = 100;
/** Regions searched at once for the id of a delete nobody here created. */
const REGION_SEARCH_CONCURRENCY = 6;
/** How far back in a channel's requests an open adoption is looked for (a refused delete or key rotation). */
const OPEN_ADOPTION_LOOKBACK = 50;
const CLOUD_ID = /^[a-z]+-[a-z0-9]{4,64}$/;

export class Workflow {
  private readonly now: () => number;

  private readonly accounts: readonly Account[];

  constructor(private readonly options: WorkflowOptions) {
    this.now = options.now ?? Date.now;
    this.accounts = options.accounts ?? [DEFAULT_ACCOUNT];
  }

  get store(): RequestStore {
    return this.options.store;
  }

  /**
   * Validates, checks against the cloud and records a request; the request message follows in
   * the background. A check that fails for certain is a field error and nothing is recorded.
   */
  async submit(input: SubmitInput): Promise<SubmitResult> {
    const resource = findResource(input.resource);
    if (!resource)
      return {
        ok: false,
        errors: {
          RegionId: inBoth((m) => m.modal.stale),
        },
      };
    const secrets = this.options.secrets;
    const choice = chooseAccount(this.accounts, input.channelId, input.account);
    const validation = validateParams(resource, input.values, {
      ...this.options.resourceOptions,
      secretsAvailable: secrets !== undefined,
    });
    const region = validation.ok ? validation.params.RegionId : validation.valid.RegionId;
    const regionRefused =
      choice.ok && region !== undefined ? regionProblem(choice.account, region) : undefined;
    if (!validation.ok || !choice.ok || regionRefused) {
      const errors = {
        ...(validation.ok ? {} : validation.errors),
        ...(choice.ok ? {} : { [choice.field ?? firstField(resource)]: choice.message }),
        ...(regionRefused ? { RegionId: regionRefused } : {}),
      };
      // Said at once with the form's own errors: what the cloud would refuse of the valid fields.
      if (
        !validation.ok &&
        choice.ok &&
        !regionRefused &&
        (await this.signInProblem(choice.account.name)) === undefined
      ) {
        const preflight = await this.options.preflight(
          resource,
          readingValid(validation.valid, validation.invalid),
          {
            account: choice.account.name,
            budgetMs: this.checkBudget(input.answerBy),
          },
        );
        return { ok: false, errors: { ...preflightErrors(preflight), ...errors } };
      }
      return { ok: false, errors };
    }
    const account = choice.account.name;
    const signInRefused = await this.signInProblem(account);
    if (signInRefused) {
      const severalAccounts = accountsOf(this.accounts, input.channelId).length > 1;
      return {
        ok: false,
        errors: { [severalAccounts ? ACCOUNT_FIELD : firstField(resource)]: signInRefused },
      };
    }
    const now = this.now();
    const id = newRequestId(new Date(now), input.requestIdSeed);
    const existing = await this.options.store.get(id);
    if (existing) return this.announce(existing, now, true);

    // Secret values leave the parameters here: sealed for the worker, digested for the hash.
    const params: Record<string, unknown> = { ...validation.params };
    const sealed: Record<string, string> = {};
    const digests: Record<string, string> = {};
    for (const param of resource.params) {
      const value = params[param.name];
      if (!param.secret || value === undefined || !secrets) continue;
      sealed[param.name] = secrets.seal(id, param.name, String(value));
      digests[param.name] = secrets.digest(param.name, String(value));
      delete params[param.name];
    }
    const stored = params as RequestParams;
    const secretNames = Object.keys(sealed);
    // The policy before the cloud checks: a request it refuses needs none.
    const verdict = judgeSubmission(
      this.options.policyInForce?.(),
      this.options.policy,
      {
        operation: 'create',
        resource: resource.type,
        account,
        params: stored,
        secretNames,
        channelId: input.channelId,
        requester: input.requester,
      },
      now,
    );
    if (!verdict.ok) return { ok: false, errors: { [firstField(resource)]: verdict.reason } };
    const preflight = await this.options.preflight(resource, stored, {
      account,
      budgetMs: this.checkBudget(input.answerBy),
    });
    if (!preflight.ok) return { ok: false, errors: preflightErrors(preflight) };
    const confirm = toConfirm(resource, stored, input.confirmed);
    if (confirm) return { ok: false, errors: {}, confirm };

    const request = this.pending(now, {
      id,
      operation: 'create',
      resource: resource.type,
      account,
      params: stored,
      ...(secretNames.length > 0 ? { secrets: sealed, secretNames } : {}),
      paramsHash: paramsHash('create', resource.type, stored, digests, hashedAccount(account)),
      requester: input.requester,
      channelId: input.channelId,
      locale: input.locale,
      requirement: verdict.requirement,
      preflight,
      cloud: { facts: {}, requestIds: [] },
    });
    const created = await this.options.store.create(request, input.requester.userId);
    if (!created.ok) {
      const { param, requestId } = created.conflict;
      const value = String(stored[param] ?? '');
      const label = resource.params.find((p) => p.name === param)?.label ?? { en: param, 'zh-CN': param };
      return {
        ok: false,
        errors: {
          [param]: inBoth((m, locale) =>
            m.field.problem({
              label: label[locale],
              problem: m.field.alreadyAsked({ value, id: requestId }),
            }),
          ),
        },
      };
    }
    return this.announceStored(created, id, now);
  }

  /** The time a submission's cloud checks may take: their budget, or less when the answer is due sooner. */
  private checkBudget(answerBy: number | undefined): number {
    const budget = this.options.submitCheckBudgetMs ?? DEFAULT_SUBMIT_CHECK_BUDGET_MS;
    if (answerBy === undefined) return budget;
    const left = Math.floor(answerBy - performance.now() - AFTER_CHECKS_MS);
    return Math.min(budget, Math.max(MIN_CHECK_BUDGET_MS, left));
  }

  /**
   * Why the bot cannot sign in to an account (a RAM role STS refuses), in plain words for the form,
   * or undefined when it can: nothing is asked of the cloud there, in this account or any other.
   */
  private async signInProblem(account: string): Promise<Text | undefined> {
    try {
      await this.options.signIn?.(account);
      return undefined;
    } catch (err) {
      const e = toCloudError(err, 'AssumeRole');
      return inBoth((m, locale) => m.accounts.signInFailed({ account, ...e.explain(locale) }));
    }
  }

  /** A new request waiting for approval: what every submission shares. */
  private pending(
    now: number,
    fields: Omit<
      ResourceRequest,
      'state' | 'version' | 'createdAt' | 'updatedAt' | 'expiresAt' | 'approvals'
    >,
  ): ResourceRequest {
    return {
      ...fields,
      state: 'pending_approval',
      version: 0,
      createdAt: now,
      updatedAt: now,
      expiresAt: now + this.options.approvalTtlMs,
      approvals: [],
    };
  }

  /**
   * Announces a request just stored, as written (reading it back would be one more round trip
   * before the answer), or the one a first attempt of the same submission stored.
   */
  private async announceStored(
    created: { created: true; request: ResourceRequest } | { created: false },
    id: string,
    now: number,
  ): Promise<{ ok: true; request: ResourceRequest; duplicate: boolean }> {
    return created.created
      ? this.announce(created.request, now, false)
      : this.announce(await this.options.store.mustGet(id), now, true);
  }

  /**
   * Schedules the expiry, the first reminder and the request message, all at once (each is a job
   * of its own: one round trip before a submission's answer, not three). All are idempotent, so a
   * retried submission (the same Slack view) finishes what a first attempt that died half-way
   * started. They are written before the answer: a process killed right after it would leave the
   * request message to the reconciler, a minute or more later.
   */
  private async announce(
    request: ResourceRequest,
    now: number,
    duplicate: boolean,
  ): Promise<{ ok: true; request: ResourceRequest; duplicate: boolean }> {
    const every = this.options.reminderEveryMs;
    await Promise.all([
      enqueueExpiry(this.options.maintenanceQueue, request, now),
      every ? enqueueFirstReminder(this.options.maintenanceQueue, request, every, now) : undefined,
      this.options.outbox.emit({ requestId: request.id, event: 'submitted' }),
    ]);
    return { ok: true, request, duplicate };
  }

  /**
   * `/gateway delete <id>` and `/gateway rotate-key <id>`: finds the resource (our own records name
   * its region; otherwise every region is asked), applies the policy, runs the operation's checks
   * (for a delete, that nothing depends on it) and records the request for approval. Anything that
   * stops it comes back as one message.
   */
  async submitDelete(input: DeleteInput): Promise<DeleteResult> {
    return this.submitOnExisting(input, 'delete');
  }

  async submitRotateKey(input: DeleteInput): Promise<DeleteResult> {
    return this.submitOnExisting(input, 'rotate_key');
  }

  /** `/gateway adopt <id>`: a resource made outside the bot, taken into the channel once approved. */
  async submitAdopt(input: DeleteInput): Promise<DeleteResult> {
    return this.submitOnExisting(input, 'adopt');
  }

  private async submitOnExisting(input: DeleteInput, operation: OnExisting): Promise<DeleteResult> {
    const { declared, words, owner, needsSecretsKey } = ON_EXISTING[operation];
    const target = input.resourceId.trim();
    const resource = resourceByCloudId(target);
    const spec = resource ? declared(resource) : undefined;
    if (!resource || !spec || !CLOUD_ID.test(target)) {
      const able = resources().filter((r) => declared(r));
      return {
        ok: false,
        message: inBoth((m, locale) =>
          words(m).notAnId({
            kinds: able.map((r) => ({ title: r.title[locale], prefix: r.idPrefix })),
          }),
        ),
      };
    }
    if (needsSecretsKey && !this.options.secrets) return { ok: false, message: inBoth(needsSecretsKey) };
    const usable = accountsOf(this.accounts, input.channelId);
    if (usable.length === 0) return { ok: false, message: inBoth((m) => m.accounts.noneForChannel) };
    for (const account of usable) {
      const refused = await this.signInProblem(account.name);
      if (refused) return { ok: false, message: refused };
    }
    // A resource the bot made or adopted belongs to the channel it was asked for in: elsewhere it is
    // as good as absent, in the same words, so another channel learns nothing of it and cannot block
    // its owners. One made outside the bot is reachable only through its adoption.
    const holder = await this.options.store.getByResourceId(target);
    const made = ownedBy(holder);
    const notHere = { ok: false as const, message: inBoth((m) => words(m).notInAccount({ target })) };
    // A deletion's channel too: its resource may still be listed a moment after the call.
    if (holder && holder.channelId !== input.channelId) {
      // An adoption of an id that is none searches the whole account before it says so: this one
      // does the same, so the time taken does not tell the one from the other.
      if (owner === 'outside') await this.locate(resource, target, usable, undefined, true).catch(() => {});
      return notHere;
    }
    if (owner === 'bot' && !made) {
      // Not the channel's yet, but its own adoption of it may be open: that is what to wait for.
      const adopting = await this.openAdoption(target, input.channelId);
      return adopting
        ? { ok: false, message: inBoth((m) => m.adoption.pendingHere({ target, id: adopting.id })) }
        : notHere;
    }
    if (owner === 'outside' && made && !leftUnfollowed(made))
      return {
        ok: false,
        message: inBoth((m) => m.adoption.alreadyHere({ target, id: made.id })),
      };
    let found: Located | undefined;
    try {
      found = await this.locate(resource, target, usable, made);
    } catch (err) {
      const { code } = toCloudError(err, resource.list.action);
      return {
        ok: false,
        message: inBoth((m) => words(m).lookupFailed({ target, code })),
      };
    }
    if (!found) return notHere;
    const now = this.now();
    const id = newRequestId(new Date(now), input.requestIdSeed);
    const existing = await this.options.store.get(id);
    if (existing) return this.announce(existing, now, true);
    const { account } = found;
    const params = { RegionId: found.regionId, [resource.list.idParam]: target } as RequestParams;
    const verdict = judgeSubmission(
      this.options.policyInForce?.(),
      this.options.policy,
      {
        operation,
        resource: resource.type,
        account,
        params,
        channelId: input.channelId,
        requester: input.requester,
      },
      now,
    );
    if (!verdict.ok) return { ok: false, message: verdict.reason };
    const preflight = await this.options.preflight(resource, params, {
      operation,
      account,
      budgetMs: this.options.submitCheckBudgetMs ?? DEFAULT_SUBMIT_CHECK_BUDGET_MS,
    });
    if (!preflight.ok) {
      const failed = preflight.checks.filter((c) => c.outcome === 'fail');
      return {
        ok: false,
        message: inBoth((m, locale) =>
          words(m).blocked({ target, reasons: failed.map((c) => c.detail[locale]) }),
        ),
      };
    }
    const request = this.pending(now, {
      id,
      operation,
      resource: resource.type,
      account,
      params,
      paramsHash: paramsHash(operation, resource.type, params, {}, hashedAccount(account)),
      requester: input.requester,
      channelId: input.channelId,
      locale: input.locale,
      requirement: verdict.requirement,
      preflight,
      target: spec.describe(found.item).filter((row) => row.value !== ''),
      cloud: { resourceId: target, facts: {}, requestIds: [] },
    });
    const created = await this.options.store.create(request, input.requester.userId);
    if (!created.ok) {
      // Held by an open request of another channel (two adoptions at once): as good as absent here.
      const holder = await this.options.store.get(created.conflict.requestId);
      if (holder && holder.channelId !== input.channelId) return notHere;
      return {
        ok: false,
        message: inBoth((m) => words(m).alreadyAsked({ target, id: created.conflict.requestId })),
      };
    }
    return this.announceStored(created, id, now);
  }

  /** An adoption of the cloud id asked for in the channel and not ended yet, among its latest requests. */
  private async openAdoption(target: string, channelId: string): Promise<ResourceRequest | undefined> {
    const recent = await this.options.store.recentInChannel(channelId, OPEN_ADOPTION_LOOKBACK);
    return recent.find(
      (r) => r.operation === 'adopt' && r.cloud.resourceId === target && !FINAL_STATES.has(r.state),
    );
  }

  /**
   * Where a cloud id is, among the accounts a channel may use: where our own record says first
   * (its account and region), then every region each account offers, account by account. `whole`:
   * every region is asked, found or not (what a search for an id that is none costs).
   */
  private async locate(
    resource: Resource,
    id: string,
    accounts: readonly Account[],
    made: ResourceRequest | undefined,
    whole = false,
  ): Promise<Located | undefined> {
    const cloudIn = this.options.cloudIn;
    if (!cloudIn) return undefined;
    const known = made && accounts.some((a) => a.name === made.account) ? made : undefined;
    if (known) {
      const item = await cloudIn(known.account).find(resource, known.params.RegionId, id);
      if (item) return { account: known.account, regionId: known.params.RegionId, item };
    }
    for (const account of accounts) {
      const cloud = cloudIn(account.name);
      const regions = (account.regions ?? (await cloud.regions())).filter(
        (r) => !(known?.account === account.name && r === known.params.RegionId),
      );
      for (let i = 0; i < regions.length; i += REGION_SEARCH_CONCURRENCY) {
        const batch = regions.slice(i, i + REGION_SEARCH_CONCURRENCY);
        const items = await Promise.all(batch.map((regionId) => cloud.find(resource, regionId, id)));
        const hit = items.findIndex((item) => item !== undefined);
        const regionId = batch[hit];
        const item = items[hit];
        if (regionId && item && !whole) return { account: account.name, regionId, item };
      }
    }
    return undefined;
  }

  /**
   * Who may look at what the cloud keeps back about a request's resource (`reveal_psk`,
   * `peer_config`): the requester, an approver of the request, or anyone the base rule allows to
   * approve, clicking in the request's channel, on a create or key rotation that succeeded on a resource that
   * keeps it (`kept`: its part of the type's declaration, `reveal` or `peerConfig`). Anything else
   * is refused, counted and audited (see `refuse`) under `action`.
   */
  private async mayLook<S>(
    requestId: string,
    who: Person,
    action: string,
    words: { notAllowed: (m: Messages) => string; nothing: (m: Messages, id: string) => string },
    kept: (resource: Resource) => S | undefined,
    origin?: ClickOrigin,
  ): Promise<
    | { ok: true; request: ResourceRequest; resource: Resource; spec: S; id: string; cloud: ResourceCloud }
    | Refused
  > {
    const request = await this.options.store.get(requestId);
    if (!request) return this.notFound(requestId, who.userId, action);
    const resource = findResource(request.resource);
    const refuse = (code: string, message: Text) =>
      this.refuse(
        { requestId, actor: who.userId, ...named(who), action, from: request.state, refused: code },
        { code, message },
        request,
      );
    if (origin?.channelId !== undefined && origin.channelId !== request.channelId)
      return refuse(
        'wrong_message',
        inBoth((m) => m.refusal.wrongResult({ id: request.id })),
      );
    const allowed =
      request.requester.userId === who.userId ||
      request.approvals.some((a) => a.userId === who.userId) ||
      (await this.mayApprove(who.userId));
    if (!allowed) return refuse('not_allowed', inBoth(words.notAllowed));
    const id = request.cloud.resourceId;
    const cloudIn = this.options.cloudIn;
    const spec = resource ? kept(resource) : undefined;
    // The resource must still be the channel's: not since taken over by another (an adoption there).
    const holder = id ? await this.options.store.getByResourceId(id) : undefined;
    if (
      !resource ||
      spec === undefined ||
      request.operation === 'delete' ||
      request.state !== 'succeeded' ||
      !id ||
      !cloudIn ||
      (holder !== undefined && holder.channelId !== request.channelId)
    )
      return refuse(
        'nothing_to_show',
        inBoth((m) => words.nothing(m, request.id)),
      );
    return { ok: true, request, resource, spec, id, cloud: cloudIn(request.account) };
  }

  /** A look the cloud could not answer: refused and audited with the cloud's code, which the person is told. */
  private unreadable(
    request: ResourceRequest,
    who: Person,
    action: string,
    code: string,
    message: (m: Messages) => string,
  ): Promise<Refused> {
    return this.refuse(
      {
        requestId: request.id,
        actor: who.userId,
        ...named(who),
        action,
        from: request.state,
        refused: `cloud:${code}`,
      },
      { code: 'cloud_error', message: inBoth(message) },
      request,
    );
  }

  /**
   * `reveal_psk`: what the cloud keeps back about a request's resource (its generated keys), read
   * now for whoever `mayLook`. Never stored; every look is audited, and every refusal (once an
   * interval, with its repeats counted: see `refuse`).
   */
  async reveal(requestId: string, who: Person, locale: Locale, origin?: ClickOrigin): Promise<RevealResult> {
    const checked = await this.mayLook(
      requestId,
      who,
      'reveal',
      {
        notAllowed: (m) => m.refusal.keyNotAllowed,
        nothing: (m, id) => m.refusal.nothingToShow({ id }),
      },
      (resource) => resource.reveal,
      origin,
    );
    if (!checked.ok) return checked;
    const { request, resource, spec: reveal, id } = checked;
    let answer: CloudRow;
    try {
      answer = await checked.cloud.reveal(resource, request.params.RegionId, id);
    } catch (err) {
      const { code } = toCloudError(err, reveal.action);
      return this.unreadable(request, who, 'reveal', code, (m) =>
        m.refusal.keyUnreadable({ target: id, code }),
      );
    }
    await this.options.store.appendAudit({
      requestId,
      at: this.now(),
      actor: who.userId,
      ...named(who),
      action: 'reveal',
      from: request.state,
    });
    return { ok: true, request, secrets: reveal.read(answer, locale) };
  }

  /**
   * `peer_config`: the configuration of the device at the other end of a request's resource (an
   * IPsec connection's on-premises device, its keys included), read from the cloud now and written
   * in `format`, for whoever `mayLook`, under the same rules as `reveal`. Every look is audited
   * with its format, never its text; a format that is none is refused.
   */
  async peerConfig(
    requestId: string,
    who: Person,
    format: string,
    locale: Locale,
    origin?: ClickOrigin,
  ): Promise<PeerConfigResult> {
    const checked = await this.mayLook(
      requestId,
      who,
      PEER_CONFIG_ACTION,
      {
        notAllowed: (m) => m.refusal.peerNotAllowed,
        nothing: (m, id) => m.refusal.noPeerConfig({ id }),
      },
      (resource) => resource.peerConfig,
      origin,
    );
    if (!checked.ok) return checked;
    const { request, resource, spec, id } = checked;
    const refuse = (code: string, message: Text) =>
      this.refuse(
        {
          requestId,
          actor: who.userId,
          ...named(who),
          action: PEER_CONFIG_ACTION,
          from: request.state,
          refused: code,
        },
        { code, message },
        request,
      );
    if (!isPeerFormat(format))
      return refuse(
        'no_such_format',
        inBoth((m) => m.refusal.noSuchFormat),
      );
    let text: string;
    try {
      const answers = await checked.cloud.peerAnswers(resource, request.params.RegionId, id);
      text = renderPeerConfig(format, spec.read(answers, id), locale);
    } catch (err) {
      // A configuration a format cannot write safely: its words name the field, never a value.
      if (err instanceof PeerConfigError) return refuse('unwritable', err.words);
      const { code } = toCloudError(err, spec.actions[0] ?? PEER_CONFIG_ACTION);
      return this.unreadable(request, who, PEER_CONFIG_ACTION, code, (m) =>
        m.refusal.peerUnreadable({ target: id, code }),
      );
    }
    await this.options.store.appendAudit({
      requestId,
      at: this.now(),
      actor: who.userId,
      ...named(who),
      action: PEER_CONFIG_ACTION,
      from: request.state,
      details: { format },
    });
    return { ok: true, request, format, text };
  }

  /**
   * The request a follow-up button (Connect… on a gateway's result) starts from: one that
   * succeeded, has a follow-up, and that this person may see from this channel, in a channel some
   * account serves. Anything else is refused in the same words, whatever the reason, so that a
   * click tells nobody more than the button did; each reason is audited as its own.
   */
  async followUp(requestId: string, who: Person, channelId: string): Promise<ActionResult> {
    const request = await this.options.store.get(requestId);
    const nothing = inBoth((m) => m.command.nothingToConnect);
    if (!request) return this.notFound(requestId, who.userId, 'connect', nothing);
    const refuse = (code: string, message = nothing) =>
      this.refuse(
        {
          requestId,
          actor: who.userId,
          ...named(who),
          action: 'connect',
          from: request.state,
          refused: code,
        },
        { code, message },
        request,
      );
    if (!(await this.visibleTo(request, who.userId, channelId))) return refuse('not_allowed');
    const follow = findResource(request.resource)?.followUp;
    if (
      request.state !== 'succeeded' ||
      !request.cloud.resourceId ||
      !follow ||
      !findResource(follow.resource)
    )
      return refuse('nothing_to_connect');
    if (accountsOf(this.accounts, request.channelId).length === 0)
      return refuse(
        'no_account',
        inBoth((m) => m.accounts.noneForChannel),
      );
    return { ok: true, request };
  }

  /**
   * A refused action, counted, and on a request that exists audited once an interval with the
   * count of its repeats (RequestStore.refuse): what the click's answer and log line follow.
   * `event.refused` is what the trail records, the refusal's code unless said otherwise.
   */
  private async refuse(
    event: Omit<AuditEvent, 'at' | 'refused'> & { refused?: string },
    refusal: Refusal,
    request?: ResourceRequest,
    o: { audit?: boolean; refusing?: Refusing } = {},
  ): Promise<Refused> {
    o.refusing?.();
    const tally = await this.options.store.refuse(
      { ...event, at: this.now(), refused: event.refused ?? refusal.code },
      o.audit === undefined ? {} : { audit: o.audit },
    );
    return { ok: false, refusal, tally, ...(request ? { request } : {}) };
  }

  /** A click on an id no request has: counted as any refusal, recorded nowhere. */
  private notFound(
    requestId: string,
    userId: string,
    action: string,
    message: Text = inBoth((m) => m.refusal.notFound({ id: requestId })),
    refusing?: Refusing,
  ): Promise<Refused> {
    return this.refuse({ requestId, actor: userId, action }, { code: 'not_found', message }, undefined, {
      ...(refusing ? { refusing } : {}),
    });
  }

  /** What a store update that changed nothing tells the person who asked for it. */
  private async refusedUpdate(
    result: Exclude<UpdateResult, { ok: true }>,
    who: string,
    action: string,
  ): Promise<Refused> {
    if ('refusal' in result)
      return { ok: false, refusal: result.refusal, tally: result.tally, request: result.request };
    // Nothing to do is no event of the trail: counted, so that its answer is not repeated either.
    return this.refuse(
      { requestId: result.request.id, actor: who, action, from: result.request.state },
      { code: 'nothing_to_do', message: inBoth((m) => m.refusal.nothingToDo) },
      result.request,
      { audit: false },
    );
  }

  /** Whether the base rule (APPROVERS, APPROVER_USERGROUP) names this person: no policy rule can add anyone. */
  private mayApprove(userId: string): Promise<boolean> {
    return isApprover(userId, this.options.policy, this.options.groupMembers);
  }

  /**
   * Someone the base rule does not name can approve or reject nothing, whatever the request (a
   * policy rule only narrows who may): they are refused before it is read, in one round trip to
   * Redis (a busy channel's commonest click), and hear the same whether or not the id belongs to a
   * request, so a forged Approve or Reject learns nothing, and a decided or misplaced request
   * tells them no more than that. The refusal is in the request's audit trail when there is a
   * request, with where the click came from; not its state, which was not read. It is counted alike
   * either way (once an interval answered, see `refuse`), so repeating it teaches nothing either.
   */
  private async refuseOutsider(
    requestId: string,
    who: Person,
    action: 'approve' | 'reject',
    message: (m: Messages) => string,
    origin: ClickOrigin | undefined,
    refusing?: Refusing,
  ): Promise<Refused> {
    return this.refuse(
      {
        requestId,
        actor: who.userId,
        ...named(who),
        action,
        ...(origin ? { details: { channel: origin.channelId ?? '', message: origin.messageTs ?? '' } } : {}),
      },
      { code: 'not_approver', message: inBoth(message) },
      undefined,
      refusing ? { refusing } : {},
    );
  }

  /**
   * A click must come from the request's own message: a button value copied into another message
   * (or a forged payload) is refused and audited, whoever clicks (an outsider's Approve or Reject
   * is refused as such first, see refuseOutsider).
   */
  private async misplaced(
    request: ResourceRequest,
    who: Person,
    action: string,
    origin: ClickOrigin | undefined,
    refusing?: Refusing,
  ): Promise<Refused | undefined> {
    if (!origin) return undefined;
    if (origin.ownPage) {
      if (origin.memberOf?.has(request.channelId)) return undefined;
      return this.refuse(
        {
          requestId: request.id,
          actor: who.userId,
          ...named(who),
          action,
          from: request.state,
          refused: 'not_in_channel',
        },
        {
          code: 'not_in_channel',
          message: inBoth((m) => m.refusal.notInChannel({ channel: request.channelId })),
        },
        request,
        refusing ? { refusing } : {},
      );
    }
    const sameChannel = origin.channelId === request.channelId;
    const sameMessage = request.messageTs === undefined || origin.messageTs === request.messageTs;
    if (sameChannel && sameMessage) return undefined;
    return this.refuse(
      {
        requestId: request.id,
        actor: who.userId,
        ...named(who),
        action,
        from: request.state,
        details: { channel: origin.channelId ?? '', message: origin.messageTs ?? '' },
      },
      { code: 'wrong_message', message: inBoth((m) => m.refusal.wrongMessage({ id: request.id })) },
      request,
      refusing ? { refusing } : {},
    );
  }

  /**
   * Whether a person may see a request from a channel: the request's own channel, or the requester
   * and the approvers anywhere (a direct message to the bot, say). Anyone else learns nothing, not
   * even that it exists.
   */
  async visibleTo(request: ResourceRequest, userId: string, channelId: string): Promise<boolean> {
    if (request.channelId === channelId || request.requester.userId === userId) return true;
    return this.mayApprove(userId);
  }

  async approve(
    requestId: string,
    who: Person,
    origin?: ClickOrigin,
    refusing?: Refusing,
  ): Promise<ActionResult> {
    if (!(await this.mayApprove(who.userId)))
      return this.refuseOutsider(requestId, who, 'approve', (m) => m.refusal.notApprover, origin, refusing);
    const request = await this.options.store.get(requestId);
    if (!request) return this.notFound(requestId, who.userId, 'approve', undefined, refusing);
    const misplaced = await this.misplaced(request, who, 'approve', origin, refusing);
    if (misplaced) return misplaced;
    // Judged by the policy in force now; the request's facts never change, so the check made on
    // this read holds for the record the store decides on.
    const check = await checkApprover(
      this.options.policyInForce?.(),
      this.options.policy,
      request,
      who.userId,
      this.options.groupMembers,
    );
    const result = await this.options.store.update(requestId, who, 'approve', (current) =>
      decideApproval(current, who, check, this.now()),
    );
    if (!result.ok) return this.refusedUpdate(result, who.userId, 'approve');
    const state = result.request.state;
    if (state === 'approved') {
      await enqueueProvisioning(this.options.provisionQueue, requestId);
      await this.options.outbox.emit({ requestId, event: 'approved', actor: who.userId });
    } else if (state === 'expired') {
      await this.options.outbox.emit({ requestId, event: 'expired', actor: who.userId });
      // The expiry is a change, made once: it is answered; the clicks after it are refusals.
      return {
        ok: false,
        refusal: expiredRefusal(result.request),
        tally: FIRST_REFUSAL,
        request: result.request,
      };
    } else {
      await this.options.outbox.emit({
        requestId,
        event: 'approval_added',
        seq: result.request.approvals.length,
        actor: who.userId,
        ...named(who),
      });
    }
    return { ok: true, request: result.request };
  }

  /**
   * Who may reject: anyone the base rule allows (APPROVERS, APPROVER_USERGROUP), whatever the
   * policy file says. A rule's approvers narrow who may let a change through; stopping one is the
   * safe side, and the riskiest requests must not become the hardest to stop.
   */
  async reject(requestId: string, who: Person, reason: string): Promise<ActionResult> {
    if (!(await this.mayApprove(who.userId)))
      return this.refuseOutsider(requestId, who, 'reject', (m) => m.refusal.rejectNotApprover, undefined);
    const request = await this.options.store.get(requestId);
    if (!request) return this.notFound(requestId, who.userId, 'reject');
    const result = await this.options.store.update(requestId, who, 'reject', (current) =>
      // May approve: an outsider was refused above.
      decideRejection(current, who, true, reason.trim(), this.now()),
    );
    if (!result.ok) return this.refusedUpdate(result, who.userId, 'reject');
    if (result.request.state === 'expired') {
      await this.options.outbox.emit({ requestId, event: 'expired', actor: who.userId });
      return {
        ok: false,
        refusal: expiredRefusal(result.request),
        tally: FIRST_REFUSAL,
        request: result.request,
      };
    }
    await this.options.outbox.emit({ requestId, event: 'rejected', actor: who.userId });
    return { ok: true, request: result.request };
  }

  async cancel(
    requestId: string,
    who: Person,
    origin?: ClickOrigin,
    refusing?: Refusing,
  ): Promise<ActionResult> {
    const request = await this.options.store.get(requestId);
    if (!request) return this.notFound(requestId, who.userId, 'cancel', undefined, refusing);
    const misplaced = await this.misplaced(request, who, 'cancel', origin, refusing);
    if (misplaced) return misplaced;
    const result = await this.options.store.update(requestId, who, 'cancel', (current) =>
      decideCancel(current, who, this.now()),
    );
    if (!result.ok) return this.refusedUpdate(result, who.userId, 'cancel');
    await this.options.outbox.emit({ requestId, event: 'cancelled', actor: who.userId });
    return { ok: true, request: result.request };
  }

  /**
   * Whether this person could reject the request now, without changing anything: lets the
   * Slack surface refuse at once instead of asking an outsider for a reason first.
   */
  async checkCanReject(requestId: string, userId: string, origin?: ClickOrigin): Promise<ActionResult> {
    if (!(await this.mayApprove(userId)))
      return this.refuseOutsider(requestId, { userId }, 'reject', (m) => m.refusal.rejectNotApprover, origin);
    const request = await this.options.store.get(requestId);
    if (!request) return this.notFound(requestId, userId, 'reject');
    const misplaced = await this.misplaced(request, { userId }, 'reject', origin);
    if (misplaced) return misplaced;
    // May approve: an outsider was refused above.
    const decision = decideRejection(request, { userId }, true, '', this.now());
    if (decision.kind === 'refuse')
      return this.refuse(
        { requestId, actor: userId, action: 'reject', from: request.state },
        decision.refusal,
        request,
      );
    return { ok: true, request };
  }

  /**
   * The pending requests this person may approve now, soonest to expire first: each judged as their
   * click on Approve would be (the base rule, the policy in force now, not their own unless the
   * policy allows it, not one they approved already), by the same functions, with nothing written.
   */
  async awaitingApproval(userId: string): Promise<ResourceRequest[]> {
    if (!(await this.mayApprove(userId))) return [];
    const { store, policy, groupMembers } = this.options;
    const now = this.now();
    const pending = await store.getMany(await store.pendingIds());
    const mayApproveNow = await Promise.all(
      pending.map(async (request) => {
        const check = await checkApprover(
          this.options.policyInForce?.(),
          policy,
          request,
          userId,
          groupMembers,
        );
        const decision = decideApproval(request, { userId }, check, now);
        return decision.kind === 'apply' && decision.next.state !== 'expired';
      }),
    );
    return pending.filter((_, i) => mayApproveNow[i]);
  }

  /** A person's latest requests, newest first, and how many of theirs are kept in all. */
  async requestsBy(userId: string, limit = 10): Promise<{ requests: ResourceRequest[]; total: number }> {
    const [requests, total] = await Promise.all([
      this.options.store.recentByRequester(userId, limit),
      this.options.store.countByRequester(userId),
    ]);
    return { requests, total };
  }

  /**
   * Resources made here whose parts were down when last recorded (a connection's tunnels, as its
   * declaration reads the stored facts), the most recently recorded first. Nothing is asked of the
   * cloud: this is what the bot already knows, with when it knew it.
   */
  async resourcesDown(): Promise<DownResource[]> {
    const rows = await this.options.store.tunnelsDown();
    return rows.flatMap(({ request, seenAt }) => {
      const down = findResource(request.resource)?.settle?.down?.(request.cloud.facts) ?? [];
      return down.length > 0 ? [{ request, seenAt, down }] : [];
    });
  }

  /** A request by its id, or by the id of the resource it created. */
  async find(idOrResourceId: string): Promise<ResourceRequest | undefined> {
    const key = idOrResourceId.trim();
    return (await this.options.store.get(key)) ?? (await this.options.store.getByResourceId(key));
  }

  /** The latest requests typed in a channel, newest first, and how many there are in all. */
  async recent(channelId: string, limit = 10): Promise<{ requests: ResourceRequest[]; total: number }> {
    const [requests, total] = await Promise.all([
      this.options.store.recentInChannel(channelId, limit),
      this.options.store.countInChannel(channelId),
    ]);
    return { requests, total };
  }
}

/**
 * The request that makes a resource the bot's (its creation or adoption), from what the store
 * finds by its cloud id; a deletion that succeeded speaks for it only to say it is gone.
 */
function ownedBy(request: ResourceRequest | undefined): ResourceRequest | undefined {
  return request && request.operation !== 'delete' ? request : undefined;
}

/**
 * A creation that failed yet made its resource (its time limit ran out while it was provisioning):
 * the bot follows nothing of it, so its own channel may adopt it once it has come up after all.
 */
function leftUnfollowed(request: ResourceRequest): boolean {
  return request.operation === 'create' && request.state === 'failed';
}

/** The person's name for an audit event, where their click gave one. */
function named(who: Person): { actorName?: string } {
  return who.name ? { actorName: who.name } : {};
}

/**
 * What the form asks about once before a request is made of it: each value a `confirmWhen` holds
 * for that was not sent again unchanged after the question. Undefined: nothing to ask.
 */
function toConfirm(
  resource: Resource,
  params: RequestParams,
  confirmed: Readonly<Record<string, string>> = {},
): Record<string, { message: Text; value: string }> | undefined {
  const asked: Record<string, { message: Text; value: string }> = {};
  for (const param of resource.params) {
    const value = params[param.name];
    if (!param.confirmWhen || value === undefined || confirmed[param.name] === String(value)) continue;
    if (param.confirmWhen.test(value))
      asked[param.name] = { message: param.confirmWhen.message(value), value: String(value) };
  }
  return Object.keys(asked).length > 0 ? asked : undefined;
}

/** The first field a resource's form always shows, where a refusal of the whole form goes. */
function firstField(resource: Resource): string {
  return resource.params.find((p) => p.onlyWhen === undefined)?.name ?? 'RegionId';
}

function expiredRefusal(request: ResourceRequest): Refusal {
  return {
    code: 'expired',
    message: inBoth((m) => m.refusal.expired({ id: request.id })),
  };
}
