/**
 * What people read in Slack: the request message (edited in place as the request moves) and the
 * messages of its thread. Pure functions of the request record, its resource type's declaration
 * and the render context, so that a repeated delivery renders the same thing and tests can read
 * it without Slack. They are read in the channel by several people, so they speak the language
 * of the context (LOCALE), not the requester's. The words are the catalogue's (i18n/messages);
 * what a person typed is shown inert (text.ts), and every text fits Slack's limits.
 */
import type { Button, KnownBlock } from '@slack/types';
import { type Account, DEFAULT_ACCOUNT } from '../config/index.js';
import { type Locale, type Messages, messages } from '../i18n/index.js';
import {
  type FollowUp,
  findResource,
  type HealthSpec,
  type Resource,
  type ResultFact,
  resourceOf,
  summarizeParams,
} from '../resources/index.js';
import { fitText } from '../text/fit.js';
import { escapeMrkdwn, inertInline } from '../text/mrkdwn.js';
import { GONE } from '../workflow/drift-look.js';
import type { Notification } from '../workflow/notifications.js';
import type {
  DriftDifference,
  HealthChange,
  Operation,
  PreflightCheck,
  RequestState,
  ResourceRequest,
} from '../workflow/types.js';
import { ACTION_IDS } from './ids.js';
import { SLACK_LIMITS } from './limits.js';
import { approvalsNeeded, policyLines, reminderText } from './render-policy.js';

export interface RenderContext {
  sandbox: boolean;
  requiredApprovals: number;
  now: number;
  /** The accounts, for their labels: a request in a named account says which. @defaultValue none */
  accounts?: readonly Account[];
  /** The language of what is posted in the channel (LOCALE); a private answer passes its reader's. */
  locale: Locale;
}

export interface RenderedMessage {
  text: string;
  blocks: KnownBlock[];
}

const CHECK_ICON: Record<PreflightCheck['outcome'], string> = {
  pass: ':white_check_mark:',
  fail: ':x:',
  unknown: ':grey_question:',
};

/** What a request does to its resource picks the words: one of four, each named. */
function per<T>(operation: Operation, choices: Readonly<Record<Operation, T>>): T {
  return choices[operation];
}

export function stateLabel(state: RequestState, locale: Locale, operation: Operation = 'create'): string {
  const m = messages(locale);
  const own = per<Partial<Record<RequestState, string>>>(operation, {
    create: {},
    delete: m.deleteState,
    rotate_key: m.rotateState,
    adopt: m.adoptState,
  });
  return own[state] ?? m.state[state];
}

/** The resource type's title in a locale; a type this process does not know is named as stored. */
export function resourceTitle(request: Pick<ResourceRequest, 'resource'>, locale: Locale): string {
  return findResource(request.resource)?.title[locale] ?? request.resource;
}

/** What the request message says beside the state while a person must act (an unpaid order). */
function attentionLabel(m: Messages, code: string | undefined): string | undefined {
  return code && Object.hasOwn(m.attention, code)
    ? m.attention[code as keyof Messages['attention']]
    : undefined;
}

export function sandboxBanner(locale: Locale): string {
  return messages(locale).sandbox;
}

function slackDate(ms: number, fallback: string): string {
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: fitText(text, SLACK_LIMITS.sectionText) } };
}

/** A section of what a person wrote, in plain text: no formatting, mention or link can come of it. */
function plainSection(text: string): KnownBlock {
  return {
    type: 'section',
    text: { type: 'plain_text', text: fitText(text, SLACK_LIMITS.sectionText), emoji: false },
  };
}

function sandboxContext(locale: Locale): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: sandboxBanner(locale) }] };
}

const mention = (userId: string) => `<@${userId}>`;

/** The request message in the channel: who asks for what, exactly what will be sent, and where it stands. */
export function renderRequestMessage(request: ResourceRequest, ctx: RenderContext): RenderedMessage {
  const { locale } = ctx;
  const m = messages(locale);
  const resource = findResource(request.resource);
  const title = resourceTitle(request, locale);
  const region = escapeMrkdwn(request.params.RegionId);
  const who = mention(request.requester.userId);
  const blocks: KnownBlock[] = [];
  if (ctx.sandbox) blocks.push(sandboxContext(locale));
  const target = escapeMrkdwn(request.cloud.resourceId ?? '');
  const deleting = request.operation === 'delete';
  const asked = { who, title, target, region, id: request.id };
  blocks.push(
    section(
      per(request.operation, {
        create: m.card.asksCreate,
        delete: m.card.asksDelete,
        rotate_key: m.card.asksRotate,
        adopt: m.card.asksAdopt,
      })(asked),
    ),
  );
  if (request.operation !== 'create') {
    const rows = targetLines(request, locale);
    blocks.push(
      section(
        [
          per(request.operation, {
            create: '',
            delete: m.card.whatWillBeDeleted,
            rotate_key: m.card.whatWillChange,
            adopt: m.card.whatWillBeAdopted,
          }),
          m.labelled({ label: m.card.id, value: `\`${target}\`` }),
          ...rows,
        ].join('\n'),
      ),
    );
  } else if (resource) {
    const rows = summarizeParams(resource, request.params, locale, request.secretNames ?? []);
    const lines = rows.map((row) =>
      m.card.param({
        label: row.label,
        name: row.name,
        value: row.typed ? inertInline(row.value) : escapeMrkdwn(row.value),
      }),
    );
    const heading =
      request.state === 'pending_approval' || request.state === 'approved'
        ? m.card.paramsToSend
        : m.card.params;
    blocks.push(section(`${heading}\n${lines.join('\n')}`));
  }
  blocks.push(section(renderPreflight(request, locale)));
  const policy = policyLines(request, locale);
  if (policy) blocks.push(section(policy));

  const approvers =
    request.approvals.length === 0
      ? m.card.noApprovalsYet
      : m.join.list({ items: request.approvals.map((a) => mention(a.userId)) });
  const status = [
    ...accountLine(request, ctx),
    m.labelled({ label: m.card.status, value: stateLabel(request.state, locale, request.operation) }),
  ];
  const attention = attentionLabel(m, request.cloud.attention);
  if (request.state === 'provisioning' && attention) status.push(attention);
  status.push(
    m.labelled({
      label: m.card.approvals,
      value: m.card.approvalCount({
        given: request.approvals.length,
        needed: approvalsNeeded(request, ctx.requiredApprovals),
        who: approvers,
      }),
    }),
  );
  if (request.state === 'pending_approval') {
    status.push(
      m.labelled({
        label: m.card.expires,
        value: slackDate(request.expiresAt, new Date(request.expiresAt).toISOString()),
      }),
    );
  }
  if (request.cloud.resourceId && request.operation === 'create')
    status.push(m.labelled({ label: m.card.resourceId, value: `\`${target}\`` }));
  if (request.rejection)
    status.push(m.labelled({ label: m.card.rejectedBy, value: mention(request.rejection.userId) }));
  if (request.cancelledBy)
    status.push(m.labelled({ label: m.card.cancelledBy, value: mention(request.cancelledBy.userId) }));
  if (request.error)
    status.push(m.labelled({ label: m.card.error, value: `\`${escapeMrkdwn(request.error.code)}\`` }));
  blocks.push(section(status.join('\n')));
  if (request.rejection) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: m.card.reasonGiven }] });
    blocks.push(plainSection(request.rejection.reason));
  }

  if (request.state === 'pending_approval') {
    const resourceId = request.cloud.resourceId ?? '';
    blocks.push({
      type: 'actions',
      block_id: 'request_actions',
      elements: [
        deleting
          ? {
              type: 'button',
              action_id: ACTION_IDS.approve,
              value: request.id,
              style: 'danger',
              text: { type: 'plain_text', text: m.card.approveDeletion },
              confirm: {
                title: { type: 'plain_text', text: m.card.deleteConfirmTitle },
                text: {
                  type: 'plain_text',
                  text: fitText(
                    m.card.deleteConfirmText({ target: resourceId, region: request.params.RegionId }),
                    SLACK_LIMITS.confirmText,
                  ),
                },
                confirm: { type: 'plain_text', text: m.card.approveDeletion },
                deny: { type: 'plain_text', text: m.card.back },
                style: 'danger',
              },
            }
          : {
              type: 'button',
              action_id: ACTION_IDS.approve,
              value: request.id,
              style: 'primary',
              text: { type: 'plain_text', text: m.card.approve },
            },
        {
          type: 'button',
          action_id: ACTION_IDS.reject,
          value: request.id,
          ...(deleting ? {} : { style: 'danger' as const }),
          text: { type: 'plain_text', text: m.card.reject },
        },
        {
          type: 'button',
          action_id: ACTION_IDS.cancel,
          value: request.id,
          text: { type: 'plain_text', text: m.card.cancel },
          confirm: {
            title: { type: 'plain_text', text: m.card.cancelConfirmTitle },
            text: {
              type: 'plain_text',
              text: per(request.operation, {
                create: m.card.cancelConfirmCreate,
                delete: m.card.cancelConfirmDelete,
                rotate_key: m.card.cancelConfirmRotate,
                adopt: m.card.cancelConfirmAdopt,
              })({ id: request.id }),
            },
            confirm: { type: 'plain_text', text: m.card.cancelRequest },
            deny: { type: 'plain_text', text: m.card.keepIt },
          },
        },
      ],
    });
  }
  const state = stateLabel(request.state, locale, request.operation);
  const text = per(request.operation, {
    create: m.card.text,
    delete: m.card.deleteText,
    rotate_key: m.card.rotateText,
    adopt: m.card.adoptText,
  })({ title, target: request.cloud.resourceId ?? '', id: request.id, who, state });
  return { text, blocks };
}

function renderPreflight(request: ResourceRequest, locale: Locale): string {
  const m = messages(locale);
  if (!request.preflight) return m.preflight.notRun;
  const unknown = request.preflight.checks.some((c) => c.outcome === 'unknown');
  const head = !request.preflight.ok
    ? m.preflight.failed
    : unknown
      ? m.preflight.unknown
      : m.preflight.passed;
  const lines = request.preflight.checks.map(
    (c) => `${CHECK_ICON[c.outcome]} ${escapeMrkdwn(c.detail[locale])}`,
  );
  return [head, ...lines].join('\n');
}

function elapsedSince(request: ResourceRequest, now: number): number {
  return Math.max(0, now - (request.provisioningStartedAt ?? request.approvedAt ?? request.createdAt));
}

/** The thread message for one notification, or undefined when the event has nothing to add there. */
export function renderThreadMessage(
  notification: Notification,
  request: ResourceRequest,
  ctx: RenderContext,
): (RenderedMessage & { broadcast: boolean }) | undefined {
  const { locale } = ctx;
  const m = messages(locale);
  const resource = findResource(request.resource);
  const actor =
    notification.actor?.startsWith('U') || notification.actor?.startsWith('W')
      ? mention(notification.actor)
      : '';
  const plain = (text: string, broadcast = false) => ({
    text: fitText(text, SLACK_LIMITS.sectionText),
    broadcast,
    blocks: [...(ctx.sandbox ? [sandboxContext(locale)] : []), section(text)],
  });
  const target = request.cloud.resourceId ? escapeMrkdwn(request.cloud.resourceId) : '';
  const title = resourceTitle(request, locale);
  const deleting = request.operation === 'delete';
  const nothing = per(request.operation, {
    create: m.thread.nothingCreated,
    delete: m.thread.nothingDeleted,
    rotate_key: m.thread.nothingChanged,
    adopt: m.thread.nothingAdopted,
  });
  switch (notification.event) {
    case 'submitted':
      return undefined;
    case 'approval_added':
      return plain(
        m.thread.approvalAdded({
          who: actor,
          given: notification.seq ?? request.approvals.length,
          needed: approvalsNeeded(request, ctx.requiredApprovals),
        }),
      );
    case 'reminder':
      if (request.state !== 'pending_approval') return undefined;
      return plain(
        reminderText(
          request,
          ctx.requiredApprovals,
          slackDate(request.expiresAt, new Date(request.expiresAt).toISOString()),
          locale,
        ),
      );
    case 'approved': {
      const by = request.approvals.map((a) => mention(a.userId));
      return plain(
        per(request.operation, {
          create: m.thread.approvedCreate,
          delete: m.thread.approvedDelete,
          rotate_key: m.thread.approvedRotate,
          adopt: m.thread.approvedAdopt,
        })({ by, title, target }),
      );
    }
    case 'rejected': {
      const who = mention(request.rejection?.userId ?? '');
      const reason = request.rejection?.reason ?? '';
      const head = plain(`${toRequester(request)}${m.thread.rejected({ who, nothing })}`);
      // The reason is shown as plain text; the notification text carries it inert.
      return {
        ...head,
        text: fitText(
          `${toRequester(request)}${m.thread.rejectedText({ who, reason: inertInline(reason, 500) })}`,
          SLACK_LIMITS.sectionText,
        ),
        blocks: [...head.blocks, plainSection(reason)],
      };
    }
    case 'cancelled':
      return plain(
        m.thread.cancelled({
          who: mention(request.cancelledBy?.userId ?? request.requester.userId),
          nothing,
        }),
      );
    case 'expired':
      return plain(m.thread.expired({ nothing }));
    case 'creating':
      return plain(
        per(request.operation, {
          create: m.thread.creating,
          delete: m.thread.deleting,
          rotate_key: m.thread.rotating,
          adopt: m.thread.adopting,
        })({ title, target, id: request.id }),
      );
    case 'queued': {
      const queued = request.queued;
      if (!queued) return undefined;
      return plain(
        m.thread.queued({
          doing: request.operation,
          ahead: queued.ahead,
          region: escapeMrkdwn(queued.regionId ?? request.params.RegionId),
          wait: m.duration({ ms: Math.max(0, queued.sendAt - queued.at) }),
          when: slackDate(queued.sendAt, new Date(queued.sendAt).toISOString()),
        }),
      );
    }
    case 'provisioning':
      return plain(
        per(request.operation, {
          create: resource?.settle ? m.thread.confirming : m.thread.provisioning,
          delete: m.thread.deletionAccepted,
          rotate_key: m.thread.rotationAccepted,
          // An adoption sends nothing, and is never handed to a sweep.
          adopt: m.thread.provisioning,
        })({ title, target }),
      );
    case 'progress': {
      const status = escapeMrkdwn(request.cloud.status ?? (deleting ? 'deleting' : 'provisioning'));
      const elapsed = m.duration({ ms: elapsedSince(request, notification.at) });
      return plain(
        per(request.operation, {
          create: m.thread.stillProvisioning,
          delete: m.thread.stillDeleting,
          rotate_key: m.thread.stillRotating,
          adopt: m.thread.stillProvisioning,
        })({ target, elapsed, status }),
      );
    }
    case 'attention':
      return plain(m.thread.financialLocked({ title, target }));
    case 'succeeded':
      return per(request.operation, {
        create: renderSuccess,
        delete: renderDeleted,
        rotate_key: renderKeyRotated,
        adopt: renderAdopted,
      })(request, ctx);
    case 'failed':
      return renderFailure(request, ctx);
    case 'settled':
    case 'unsettled': {
      const settle = resource?.settle;
      if (!settle || request.settle?.outcome !== notification.event) return undefined;
      const facts = Object.fromEntries(
        Object.entries(request.cloud.facts).map(([k, v]) => [k, escapeMrkdwn(v)]),
      );
      if (notification.event === 'settled') return plain(settle.settled(target, facts, locale), true);
      const waited = m.duration({
        ms: Math.max(0, (request.settle.at ?? notification.at) - (request.finishedAt ?? 0)),
      });
      return plain(settle.unsettled(target, facts, waited, locale), true);
    }
    case 'tunnel_down':
    case 'tunnel_up': {
      const change = request.health?.changes.find((c) => c.seq === notification.seq);
      const said =
        resource?.health && change ? healthChangeText(request, resource.health, change, locale) : '';
      return said ? plain(said, true) : undefined;
    }
    case 'drift': {
      const change = request.drift?.changes.find((c) => c.seq === notification.seq);
      if (!change) return undefined;
      if (change.differences.some((d) => d.key === GONE))
        return plain(m.thread.goneOutside({ title, target }), true);
      const adopted = request.baseline !== undefined;
      const lines = driftLines(change.differences, locale, adopted);
      return plain((adopted ? m.thread.driftedAdopted : m.thread.drifted)({ title, target, lines }), true);
    }
  }
}

/** A part's confirmed change (a tunnel down, or back with how long it was down), as its declaration says it. */
function healthChangeText(
  request: ResourceRequest,
  health: HealthSpec,
  change: HealthChange,
  locale: Locale,
): string {
  const m = messages(locale);
  const target = escapeMrkdwn(request.cloud.resourceId ?? '');
  const part = escapeMrkdwn(change.label[locale]);
  if (!change.up)
    return health.down(target, part, slackDate(change.at, new Date(change.at).toISOString()), locale);
  const lasted = m.duration({ ms: Math.max(0, change.at - (change.downSince ?? change.at)) });
  // Down already when the resource was adopted: how long before, nobody here knows.
  const downAtAdoption =
    request.operation === 'adopt' &&
    change.downSince !== undefined &&
    change.downSince <= (request.finishedAt ?? Number.NEGATIVE_INFINITY);
  return health.back(target, part, downAtAdoption ? m.thread.atLeast({ duration: lasted }) : lasted, locale);
}

/** One line per difference from what was approved (what a person typed is shown inert). */
/** One line per difference; `adopted`: compared with how the resource was taken over, not approved. */
export function driftLines(
  differences: readonly DriftDifference[],
  locale: Locale,
  adopted = false,
): string[] {
  const m = messages(locale);
  return differences.map((d) =>
    d.key === GONE
      ? m.thread.goneLine
      : (adopted ? m.thread.driftLineAdopted : m.thread.driftLine)({
          label: d.label[locale],
          approved: escapeMrkdwn(d.approved),
          now: escapeMrkdwn(d.now),
        }),
  );
}

/** "<@U…> ": the requester, named at the start of an outcome so that Slack tells them. */
function toRequester(request: ResourceRequest): string {
  return `${mention(request.requester.userId)} `;
}

/** An outcome's text, its mention kept as one (the rest escaped). */
function addressed(request: ResourceRequest, text: string): string {
  const head = toRequester(request);
  return text.startsWith(head) ? `${head}${escapeMrkdwn(text.slice(head.length))}` : escapeMrkdwn(text);
}

/**
 * "*Account:* Production (production)", for a request in a named account (ACCOUNTS_FILE); nothing
 * for the one account of a bot without the file.
 */
function accountLine(request: ResourceRequest, ctx: RenderContext): string[] {
  if (request.account === DEFAULT_ACCOUNT.name) return [];
  const label = ctx.accounts?.find((a) => a.name === request.account)?.label?.[ctx.locale];
  const name = escapeMrkdwn(request.account);
  const shown = label && label !== request.account ? `${escapeMrkdwn(label)} (${name})` : name;
  return [messages(ctx.locale).labelled({ label: messages(ctx.locale).accounts.label, value: shown })];
}

/** How long a finished request took, from its approval. */
function timeTaken(request: ResourceRequest, ctx: RenderContext): number {
  return Math.max(0, (request.finishedAt ?? ctx.now) - (request.approvedAt ?? request.createdAt));
}

/**
 * An outcome as the thread and the channel show it (broadcast): its heading addressed to the
 * requester, its facts, and the buttons it offers.
 */
function outcome(
  request: ResourceRequest,
  ctx: RenderContext,
  o: { icon: string; text: string; lines: readonly string[]; buttons: readonly Button[] },
): RenderedMessage & { broadcast: boolean } {
  return {
    text: o.text,
    broadcast: true,
    blocks: [
      ...(ctx.sandbox ? [sandboxContext(ctx.locale)] : []),
      section(`${o.icon} ${addressed(request, o.text)}`),
      section(o.lines.join('\n')),
      ...(o.buttons.length > 0
        ? [{ type: 'actions' as const, block_id: 'result_actions', elements: [...o.buttons] }]
        : []),
    ],
  };
}

/** What the declaration shows of a created resource (its tunnels, their BGP sessions …), a line each. */
export function resultFacts(request: ResourceRequest, locale: Locale): string[] {
  const m = messages(locale);
  const resource = resourceOf(request.resource);
  // An adopted resource was never asked for here, so its parameters say nothing of it: each part
  // its health follows as last seen (a connection's tunnels); the rest is as it was taken over
  // (`target`, which its request message shows).
  const facts: ResultFact[] =
    request.operation === 'adopt'
      ? (resource.health?.parts(request.cloud.facts) ?? []).map((part) => ({
          label: part.label,
          value: m.result.partState({ up: part.up }),
        }))
      : resource.result(request.cloud.facts, request.params, locale);
  return facts.map((f) =>
    m.labelled({
      label: f.label[locale],
      value: f.typed ? inertInline(f.value) : escapeMrkdwn(f.value),
    }),
  );
}

/** What the approvers were shown of an existing resource (`target`), a labelled line each; typed text inert. */
function targetLines(request: ResourceRequest, locale: Locale): string[] {
  const m = messages(locale);
  return (request.target ?? []).map((row) =>
    m.labelled({
      label: row.label[locale],
      value: row.typed ? inertInline(row.value) : escapeMrkdwn(row.value),
    }),
  );
}

/** The button that opens another type's modal with what this request made (`connect`). */
function followUpButton(request: ResourceRequest, followUp: FollowUp, locale: Locale) {
  return {
    type: 'button' as const,
    action_id: ACTION_IDS.connect,
    value: request.id,
    style: 'primary' as const,
    text: { type: 'plain_text' as const, text: followUp.label[locale] },
  };
}

function renderSuccess(
  request: ResourceRequest,
  ctx: RenderContext,
): RenderedMessage & { broadcast: boolean } {
  const { locale } = ctx;
  const m = messages(locale);
  const resource = resourceOf(request.resource);
  const id = request.cloud.resourceId ?? '';
  const status = request.cloud.status ?? resource.readyStatus;
  const facts = [
    m.labelled({ label: m.card.id, value: `\`${escapeMrkdwn(id)}\`` }),
    m.labelled({ label: m.card.status, value: escapeMrkdwn(status) }),
    ...resultFacts(request, locale),
    ...accountLine(request, ctx),
    m.labelled({ label: m.result.region, value: escapeMrkdwn(request.params.RegionId) }),
    m.labelled({ label: m.result.timeTaken, value: m.duration({ ms: timeTaken(request, ctx) }) }),
  ];
  const text = `${toRequester(request)}${m.result.ready({ title: resource.title[locale], target: id, status, id: request.id })}`;
  const buttons = [
    ...keptButtons(request, resource, locale),
    ...(resource.followUp && findResource(resource.followUp.resource)
      ? [followUpButton(request, resource.followUp, locale)]
      : []),
  ];
  return outcome(request, ctx, { icon: ':tada:', text, lines: facts, buttons });
}

/**
 * The buttons that read what the cloud keeps of a resource at the click (`reveal_psk`,
 * `peer_config`), each with the request id, as its declaration offers them.
 */
function keptButtons(request: ResourceRequest, resource: Resource, locale: Locale) {
  return [
    ...(resource.reveal
      ? [
          {
            type: 'button' as const,
            action_id: ACTION_IDS.revealPsk,
            value: request.id,
            text: { type: 'plain_text' as const, text: resource.reveal.label[locale] },
          },
        ]
      : []),
    ...(resource.peerConfig
      ? [
          {
            type: 'button' as const,
            action_id: ACTION_IDS.peerConfig,
            value: request.id,
            text: { type: 'plain_text' as const, text: resource.peerConfig.label[locale] },
          },
        ]
      : []),
  ];
}

/** What the end of an operation on an existing resource starts from: its words, its type, its id and the id's line. */
function onExisting(request: ResourceRequest, ctx: RenderContext) {
  const { locale } = ctx;
  const m = messages(locale);
  const id = request.cloud.resourceId ?? '';
  return {
    locale,
    m,
    resource: resourceOf(request.resource),
    id,
    idLine: m.labelled({ label: m.card.id, value: `\`${escapeMrkdwn(id)}\`` }),
  };
}

/**
 * The end of a key rotation: the new keys are in place, what stays down until the other side has
 * them, and the buttons that read them.
 */
function renderKeyRotated(
  request: ResourceRequest,
  ctx: RenderContext,
): RenderedMessage & { broadcast: boolean } {
  const { locale, m, resource, id, idLine } = onExisting(request, ctx);
  const text = `${toRequester(request)}${m.result.keyRotated({ title: resource.title[locale], target: id, id: request.id })}`;
  const lines = [
    idLine,
    ...accountLine(request, ctx),
    m.labelled({ label: m.result.region, value: escapeMrkdwn(request.params.RegionId) }),
    m.labelled({ label: m.result.timeTaken, value: m.duration({ ms: timeTaken(request, ctx) }) }),
    ...(resource.rotateKey ? [`:warning: ${resource.rotateKey.done[locale]}`] : []),
  ];
  return outcome(request, ctx, {
    icon: ':key:',
    text,
    lines,
    buttons: keptButtons(request, resource, locale),
  });
}

/**
 * The end of an adoption: the resource as it was taken over, what the bot follows of it now, and
 * the buttons that read what the cloud keeps back (as on a creation's result).
 */
function renderAdopted(
  request: ResourceRequest,
  ctx: RenderContext,
): RenderedMessage & { broadcast: boolean } {
  const { locale, m, resource, id, idLine } = onExisting(request, ctx);
  const text = `${toRequester(request)}${m.result.adopted({ title: resource.title[locale], target: id, id: request.id })}`;
  const lines = [
    idLine,
    ...targetLines(request, locale),
    ...resultFacts(request, locale),
    ...accountLine(request, ctx),
    m.labelled({ label: m.result.region, value: escapeMrkdwn(request.params.RegionId) }),
  ];
  const buttons = [
    ...keptButtons(request, resource, locale),
    ...(resource.followUp && findResource(resource.followUp.resource)
      ? [followUpButton(request, resource.followUp, locale)]
      : []),
  ];
  return outcome(request, ctx, { icon: ':inbox_tray:', text, lines, buttons });
}

/** The end of a deletion: what is gone, where, and how long it took. */
function renderDeleted(
  request: ResourceRequest,
  ctx: RenderContext,
): RenderedMessage & { broadcast: boolean } {
  const { locale } = ctx;
  const m = messages(locale);
  const resource = resourceOf(request.resource);
  const text = `${toRequester(request)}${m.result.deleted({
    title: resource.title[locale],
    target: request.cloud.resourceId ?? '',
    id: request.id,
  })}`;
  const lines = [
    m.labelled({ label: m.result.region, value: escapeMrkdwn(request.params.RegionId) }),
    m.labelled({ label: m.result.timeTaken, value: m.duration({ ms: timeTaken(request, ctx) }) }),
    ...(request.cloud.facts.AlreadyGone ? [m.result.alreadyGone] : []),
  ];
  return outcome(request, ctx, { icon: ':wastebasket:', text, lines, buttons: [] });
}

function renderFailure(
  request: ResourceRequest,
  ctx: RenderContext,
): RenderedMessage & { broadcast: boolean } {
  const { locale } = ctx;
  const m = messages(locale);
  const error = request.error;
  const what = error?.what[locale] ?? m.result.failedUnknown;
  const todo = error?.todo[locale] ?? '';
  const refs = [
    error ? m.pair({ label: m.result.code, value: `\`${escapeMrkdwn(error.code)}\`` }) : '',
    error?.requestId ? m.pair({ label: 'RequestId', value: `\`${escapeMrkdwn(error.requestId)}\`` }) : '',
    m.pair({ label: m.result.request, value: `\`${request.id}\`` }),
  ]
    .filter(Boolean)
    .join(' · ');
  const said = per(request.operation, {
    create: m.result.failed,
    delete: m.result.deletionFailed,
    rotate_key: m.result.rotationFailed,
    adopt: m.result.adoptionFailed,
  })({
    title: resourceTitle(request, locale),
    target: request.cloud.resourceId ?? '',
    id: request.id,
    code: error?.code ?? m.result.unknownCode,
  });
  const text = `${toRequester(request)}${said}`;
  const failedChecks = (error?.checks ?? []).map(
    (c) => `${CHECK_ICON[c.outcome]} ${escapeMrkdwn(c.detail[locale])}`,
  );
  return {
    text,
    broadcast: true,
    blocks: [
      ...(ctx.sandbox ? [sandboxContext(locale)] : []),
      section(`:red_circle: ${toRequester(request)}*${escapeMrkdwn(said)}*\n${escapeMrkdwn(what)}`),
      ...(failedChecks.length > 0 ? [section(failedChecks.join('\n'))] : []),
      ...(todo ? [section(m.labelled({ label: m.result.whatToDo, value: escapeMrkdwn(todo) }))] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: fitText(refs, SLACK_LIMITS.sectionText) }] },
    ],
  };
}

/**
 * A direct message to the requester when the request could not be posted in its channel: said to
 * them alone, so in their language as recorded on the request.
 */
export function renderUndeliverable(request: ResourceRequest, slackError: string): RenderedMessage {
  const locale = request.locale;
  const text = messages(locale).result.undeliverable({
    title: resourceTitle(request, locale),
    id: request.id,
    channel: `<#${request.channelId}>`,
    error: escapeMrkdwn(slackError),
  });
  return { text, blocks: [section(text)] };
}
