/**
 * The audit trail in words an auditor reads without a glossary: who (a person, or which part of
 * the bot), what they did as a plain verb, "refused: …" with the reason when an action was
 * turned down and changed nothing, and the state change when there was one. The stored events
 * keep their compact codes (other code writes and reads them); only this display translates.
 */
import { findResource } from '../resources/index.js';
// Trails written before requests named resource types say `kind`.
import { OLD_KINDS } from '../workflow/record-upgrade.js';
import type { AuditEvent, RequestState, ResourceRequest } from '../workflow/types.js';

type Details = NonNullable<AuditEvent['details']>;

/** The parts of the bot that act on their own, by the name of the job they were doing. */
function systemActor(actor: string, action: string): string | undefined {
  if (actor === 'system:worker') return 'provisioning worker';
  if (actor === 'system:notifier') return 'Slack notifier';
  if (actor === 'system:maintenance') {
    if (action === 'preflight') return 'preflight check';
    if (action === 'expired' || action === 'reminded') return 'approval timer';
    return 'reconciler';
  }
  if (actor.startsWith('system:')) return actor.slice('system:'.length);
  return undefined;
}

/** Slack user ids with the names the request recorded for them, where it did. */
export function peopleOf(request: ResourceRequest): Map<string, string> {
  const people = new Map<string, string>();
  const add = (p: { userId: string; name?: string } | undefined) => {
    if (p?.name) people.set(p.userId, p.name);
  };
  add(request.requester);
  for (const a of request.approvals) add(a);
  add(request.rejection);
  add(request.cancelledBy);
  return people;
}

function actorLabel(e: AuditEvent, people: ReadonlyMap<string, string>): string {
  const system = systemActor(e.actor, e.action);
  if (system) return system;
  const name = people.get(e.actor) ?? e.actorName;
  return name ? `${name} (${e.actor})` : e.actor;
}

/** A resource type as a noun ("customer gateway", "VPN gateway", "IPsec connection"). */
function resourceWords(type: unknown): string {
  const name = String(type ?? '');
  const title = findResource(OLD_KINDS[name] ?? name)?.title.en;
  if (!title) return name.replaceAll('_', ' ') || 'resource';
  // "Customer gateway" loses its capital; "VPN" and "IPsec" keep theirs.
  return /^[A-Z][a-z]/.test(title) ? title.charAt(0).toLowerCase() + title.slice(1) : title;
}

/** The noun with its article: "a VPN gateway", "an IPsec connection" (by the letter's sound). */
function aResource(type: unknown): string {
  const words = resourceWords(type);
  return `${/^[aeiouAEIOU]/.test(words) ? 'an' : 'a'} ${words}`;
}

/** What the request did to its resource, as the events' verbs: create, delete, give it new keys or adopt it. */
export type AuditOperation = 'create' | 'delete' | 'rotate_key' | 'adopt';

/** How each operation reads in the trail: the request, starting, trying again, and the end seen. */
const OPERATION_WORDS: Readonly<
  Record<AuditOperation, { asked: (what: string) => string; start: string; again: string; end: () => string }>
> = {
  create: {
    asked: (what) => what,
    start: 'started creating it',
    again: 'creating',
    end: () => 'become ready',
  },
  delete: {
    asked: (what) => `the deletion of ${what}`,
    start: 'started deleting it',
    again: 'deleting',
    end: () => 'gone from the account',
  },
  rotate_key: {
    asked: (what) => `new pre-shared keys for ${what}`,
    start: 'started sending the new keys',
    again: 'sending the new keys',
    end: () => 'have its new keys in place',
  },
  adopt: {
    asked: (what) => `the adoption of ${what}`,
    start: 'started taking it over',
    again: 'reading it',
    end: () => 'be taken over',
  },
};

/** Where a request stood when an action came too late. */
const DECIDED_WORDS: Partial<Record<RequestState, string>> = {
  approved: 'approved',
  creating: 'approved, and being created',
  provisioning: 'approved, and provisioning',
  succeeded: 'approved and done',
  failed: 'approved, and had failed',
  rejected: 'rejected',
  cancelled: 'cancelled',
  expired: 'expired',
};

const REFUSAL_WORDS: Record<string, (e: AuditEvent) => string> = {
  already_decided: (e) => {
    const where = (e.from && DECIDED_WORDS[e.from]) ?? 'decided';
    return `the request was no longer waiting for approval (it was already ${where})`;
  },
  not_approver: () => 'they are not an approver',
  self_approval: () => 'they asked for it themselves, and may not approve their own request',
  already_approved_by_you: () => 'they had already approved it',
  not_requester: () => 'only the person who asked for it may cancel it',
  expired: () => 'the time to approve it had run out',
  wrong_message: () => 'the button was not on the request’s own message',
  not_in_channel: () => 'they clicked on their Home tab, and are not in the request’s channel',
  not_eligible: (e) =>
    `the approval policy does not count their approval (rule ${String(e.details?.rules ?? '').replaceAll(',', ', ')})`,
  policy_denied: (e) => `the approval policy now refuses the request (rule ${e.details?.rule ?? ''})`,
  not_allowed: (e) =>
    e.action === 'connect'
      ? 'they may not see the request from where they clicked'
      : 'only the person who asked for it and the approvers may see it',
  nothing_to_connect: () => 'the request had made nothing to connect to',
  no_account: () => 'no account serves the request’s channel',
};

/** A refusal repeated within its interval: how often, until when (the event is the first). */
function repeated(e: AuditEvent): string {
  if (!e.times || e.times < 2) return '';
  const last = e.lastAt ? `, the last at ${new Date(e.lastAt).toISOString().replace('T', ' ')}` : '';
  return ` (${e.times} times in all${last})`;
}

/** What happened, as a verb phrase, and which details the phrase already says. */
function done(e: AuditEvent, operation: AuditOperation): { text: string; said: string[] } {
  const d: Details = e.details ?? {};
  switch (e.action) {
    case 'submitted': {
      const asked =
        OPERATION_WORDS[(d.operation as AuditOperation | undefined) ?? 'create'] ?? OPERATION_WORDS.create;
      const what = asked.asked(aResource(d.resource ?? d.kind));
      const checks =
        typeof d.preflight === 'string' && d.preflight
          ? `; checked first: ${d.preflight.replaceAll('=', ' ').replaceAll(',', ', ')}`
          : '';
      return {
        text: `asked for ${what}${checks}`,
        said: ['kind', 'resource', 'operation', 'preflight'],
      };
    }
    case 'preflight': {
      const checks = Object.entries(d).map(([check, outcome]) => `${check} ${outcome}`);
      return {
        text: `checked the request before approval${checks.length ? `: ${checks.join(', ')}` : ''}`,
        said: Object.keys(d),
      };
    }
    case 'message_posted':
      return { text: 'posted the request in the Slack channel', said: ['messageTs'] };
    case 'approve':
    case 'approved':
    case 'approval_added':
      return {
        text:
          d.approvals !== undefined && d.required !== undefined
            ? `approved (${d.approvals} of ${d.required} approval${d.required === 1 ? '' : 's'} needed${
                d.rules ? `; policy rules applied: ${String(d.rules).replaceAll(',', ', ')}` : ''
              })`
            : 'approved',
        said: ['approver', 'approvals', 'required', 'rules'],
      };
    case 'reminded':
      return {
        text: `reminded the approvers in the thread (reminder ${d.reminder ?? '?'})`,
        said: ['reminder'],
      };
    case 'reject':
      return { text: d.reason ? `rejected, saying "${d.reason}"` : 'rejected', said: ['reason'] };
    case 'cancel':
      return { text: 'cancelled the request', said: [] };
    case 'expired':
      return { text: 'expired the request: nobody decided in time', said: [] };
    case 'withdrawn':
      return {
        text: `withdrew the request: Slack would not take its message${d.reason ? ` (${d.reason})` : ''}`,
        said: ['reason'],
      };
    case 'creating':
      return { text: OPERATION_WORDS[operation].start, said: [] };
    case 'create_retry':
    case 'delete_retry':
    case 'rotate_key_retry':
    case 'adopt_retry':
      return {
        text:
          `will try ${OPERATION_WORDS[operation].again} again after the cloud answered ${d.code ?? 'an error'}` +
          (d.attempt ? ` (retry ${d.attempt})` : ''),
        said: ['code', 'attempt'],
      };
    case 'adopted': {
      const kept = Object.entries(d)
        .filter(([k]) => k !== 'resourceId')
        .map(([k, v]) => `${k} ${v || '(none)'}`);
      return {
        text: `took over ${d.resourceId ?? ''}${kept.length > 0 ? ` as it was: ${kept.join(', ')}` : ''}`.trimEnd(),
        said: Object.keys(d),
      };
    }
    case 'created':
    case 'deleted':
    case 'key_rotated': {
      const id = d.resourceId ?? d.gatewayId ?? '';
      const verb = e.action === 'key_rotated' ? 'sent new keys for' : e.action;
      return {
        text: `${verb} ${id}`.trimEnd(),
        said: ['resourceId', 'gatewayId'],
      };
    }
    case 'status_seen':
      return {
        text:
          `saw its status become ${d.status ?? 'something new'}` +
          (d.attention || d.businessStatus ? ` (${d.attention || d.businessStatus})` : ''),
        said: ['status', 'attention', 'businessStatus'],
      };
    case 'ready':
    case 'active': {
      const id = d.resourceId ?? d.gatewayId;
      if (operation !== 'create')
        return {
          text: `saw ${id ?? 'it'} ${OPERATION_WORDS[operation].end()}`,
          said: ['resourceId', 'gatewayId', 'status'],
        };
      return {
        text: `saw ${id ?? 'it'} become ready${d.status ? ` (${d.status})` : ''}`,
        said: ['resourceId', 'gatewayId', 'status'],
      };
    }
    case 'failed':
      return { text: `gave up: the cloud answered ${d.code ?? 'an error'}`, said: ['code'] };
    default:
      return { text: e.action.replaceAll('_', ' '), said: [] };
  }
}

const DETAIL_WORDS: Record<string, string> = {
  cloudRequestId: 'cloud RequestId',
  httpStatus: 'HTTP status',
  paramsHash: 'parameters hash',
  messageTs: 'message',
};

function rest(d: Details, said: readonly string[]): string {
  return (
    Object.entries(d)
      .filter(([key, value]) => !said.includes(key) && value !== '')
      // The first 12 hex digits tell two parameter sets apart as well as all 64, on a shorter line.
      .map(
        ([key, value]) =>
          `${DETAIL_WORDS[key] ?? key} ${key === 'paramsHash' ? String(value).slice(0, 12) : value}`,
      )
      .join(', ')
  );
}

/** One line per event; `people` names the Slack users it can, `withRequestId` for mixed trails. */
export function formatAuditEvent(
  e: AuditEvent,
  options: { people?: ReadonlyMap<string, string>; withRequestId?: boolean; operation?: AuditOperation } = {},
): string {
  const at = new Date(e.at).toISOString().replace('T', ' ');
  const who = actorLabel(e, options.people ?? new Map());
  let what: string;
  if (e.refused) {
    const reason = REFUSAL_WORDS[e.refused]?.(e) ?? e.refused.replaceAll('_', ' ');
    what = `refused: ${e.action.replaceAll('_', ' ')}, because ${reason}; nothing changed${repeated(e)}`;
  } else {
    const { text, said } = done(e, options.operation ?? 'create');
    const more = rest(e.details ?? {}, said);
    const move = e.to && e.from !== e.to ? `  [${e.from ? `${e.from} → ` : ''}${e.to}]` : '';
    what = `${text}${more ? ` (${more})` : ''}${move}`;
  }
  return `${at}  ${options.withRequestId ? `${e.requestId}  ` : ''}${who.padEnd(28)} ${what}`;
}

/** The header of one request's history. */
export function formatRequest(r: ResourceRequest): string {
  const people = peopleOf(r);
  const person = (id: string) => (people.get(id) ? `${people.get(id)} (${id})` : id);
  return [
    `request   ${r.id}: ${(OPERATION_WORDS[r.operation as AuditOperation] ?? OPERATION_WORDS.create).asked(aResource(r.resource))} in channel ${r.channelId}`,
    `state     ${r.state}` +
      (r.cloud.resourceId ? `, resource ${r.cloud.resourceId}` : '') +
      (r.error ? `, error ${r.error.code}` : ''),
    `asked by  ${person(r.requester.userId)}; ` +
      `approved by ${r.approvals.map((a) => person(a.userId)).join(', ') || 'nobody yet'}`,
    `params    ${JSON.stringify(r.params)}`,
    `cloud     RequestIds ${r.cloud.requestIds.join(', ') || 'none'}`,
  ].join('\n');
}
