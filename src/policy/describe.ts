/**
 * The policy's words for people, in every language the bot speaks: what a matching rule does,
 * what a request needs in all, and why someone's approval does not count. Ids are rendered by a
 * `Mention` (Slack mentions by default, plain ids in the terminal); rule names are restricted to
 * letters, digits, "-", "_" and "." by the loader, so nothing here can inject formatting.
 */
import { SLACK_USERGROUP_ID } from '../config/index.js';
import { type Text, text } from '../i18n/index.js';
import { inertInline } from '../text/mrkdwn.js';
import type { ApproverConstraint, Mention, PolicyRule, Quote } from './types.js';

export const slackMention: Mention = (id) => (SLACK_USERGROUP_ID.test(id) ? `<!subteam^${id}>` : `<@${id}>`);
export const plainMention: Mention = (id) => id;
/** An evaluator's error inside mrkdwn (`dyn<string>` would otherwise read as a link). */
export const slackQuote: Quote = (s) => inertInline(s, 200);
export const plainQuote: Quote = (s) => s;

/** How explanations are worded for a Slack message, and for a terminal. */
export const SLACK_WORDS = { mention: slackMention, quote: slackQuote } as const;
export const PLAIN_WORDS = { mention: plainMention, quote: plainQuote } as const;

function joinOr(items: readonly string[], or: string, comma: string): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(comma)}${or}${items[items.length - 1]}`;
}

/** "<@U1>, <@U2> or <!subteam^S1>": the ids of a constraint, as a list. */
function from(c: Pick<ApproverConstraint, 'users' | 'groups'>, mention: Mention): Text {
  const ids = [...c.users, ...c.groups].map(mention);
  if (ids.length === 0) return text('nobody', '无人');
  return text(joinOr(ids, ' or ', ', '), joinOr(ids, ' 或 ', '、'));
}

/** "is <@U1> or in <!subteam^S1>": what someone must be to meet a constraint. */
function whoIs(c: Pick<ApproverConstraint, 'users' | 'groups'>, mention: Mention): Text {
  const users = c.users.map(mention);
  const groups = c.groups.map(mention);
  if (users.length === 0 && groups.length === 0) return text('is nobody', '无人');
  const en = [...users, ...(groups.length > 0 ? [`in ${joinOr(groups, ' or ', ', ')}`] : [])];
  const zh = [...users, ...(groups.length > 0 ? [`${joinOr(groups, ' 或 ', '、')} 的成员`] : [])];
  return text(`is ${joinOr(en, ' or ', ', ')}`, `是 ${joinOr(zh, ' 或 ', '、')}`);
}

function approvalsWord(n: number): string {
  return n === 1 ? '1 approval' : `${n} approvals`;
}

/** What one matching rule does: "2 approvals from someone in <!subteam^S0LEADS>: rule prepay-needs-two". */
export function explainMatch(
  rule: PolicyRule,
  error: string | undefined,
  mention: Mention,
  quote: Quote = plainQuote,
): Text {
  let effect: Text;
  if (rule.deny) {
    effect = text('denied', '拒绝');
  } else {
    const ids = rule.approvers ? from(splitIds(rule.approvers), mention) : undefined;
    const count = rule.approvals;
    effect = text(
      count !== undefined
        ? `${approvalsWord(count)}${ids ? ` from ${ids.en}` : ''}`
        : `approvals from ${ids?.en ?? ''}`,
      count !== undefined
        ? `需 ${count} 人批准${ids ? `，审批人来自 ${ids['zh-CN']}` : ''}`
        : `审批人须来自 ${ids?.['zh-CN'] ?? ''}`,
    );
  }
  const suffix = error
    ? text(
        ` (its condition could not be evaluated: ${quote(error)}; applied to be safe)`,
        `（条件无法求值：${quote(error)}；为安全起见按匹配处理）`,
      )
    : text('', '');
  return text(
    `${effect.en}: rule ${rule.name}${suffix.en}`,
    `${effect['zh-CN']}：规则 ${rule.name}${suffix['zh-CN']}`,
  );
}

function sourceOf(c: ApproverConstraint): Text {
  return c.rule === undefined ? text('approvers', '审批人配置') : text(`rule ${c.rule}`, `规则 ${c.rule}`);
}

/** The whole requirement: how many approvals, who counts, and which rule says so. */
export function summarize(
  required: number,
  countRules: readonly string[],
  constraints: readonly ApproverConstraint[],
  mention: Mention,
): Text {
  const because =
    countRules.length > 0
      ? text(
          ` (rule${countRules.length > 1 ? 's' : ''} ${countRules.join(', ')})`,
          `（规则 ${countRules.join('、')}）`,
        )
      : text('', '');
  const parts = constraints.map((c) => {
    const w = whoIs(c, mention);
    const s = sourceOf(c);
    return text(`${w.en} (${s.en})`, `${w['zh-CN']}（${s['zh-CN']}）`);
  });
  return text(
    `Needs ${approvalsWord(required)}${because.en}. An approval counts from someone who ${parts.map((p) => p.en).join(' and who ')}.`,
    `需要 ${required} 人批准${because['zh-CN']}。有效审批人须${parts.map((p) => p['zh-CN']).join('，并且')}。`,
  );
}

/** Why someone's approval does not count, naming each rule they do not meet. */
export function notCountedReason(unmet: readonly ApproverConstraint[], mention: Mention): Text {
  const parts = unmet.map((c) => {
    const w = whoIs(c, mention);
    return c.rule === undefined
      ? text(`only someone who ${w.en} may approve gateway requests`, `审批人须${w['zh-CN']}（审批人配置）`)
      : text(`rule ${c.rule} needs someone who ${w.en}`, `规则 ${c.rule} 要求审批人${w['zh-CN']}`);
  });
  return text(
    `Your approval does not count: ${parts.map((p) => p.en).join('; ')}.`,
    `你的批准不计入：${parts.map((p) => p['zh-CN']).join('；')}。`,
  );
}

/** Said when a deny rule's condition fails to evaluate: refusing is the safe side. */
export function couldNotCheck(rule: string, error: string): Text {
  return text(
    `Policy rule ${rule} could not be checked for this request (${error}), so the request is refused to be safe. Ask the bot's operators to fix the rule.`,
    `无法对该请求检查策略规则 ${rule}（${error}），为安全起见已拒绝。请联系机器人管理员修正该规则。`,
  );
}

export function unsatisfiableText(required: number, eligible: readonly string[], mention: Mention): Text {
  const people = eligible.map(mention);
  return text(
    `Nobody can complete the approvals of this request: it needs ${approvalsWord(required)}, but ${
      people.length === 0
        ? 'nobody may approve it'
        : `only ${people.length === 1 ? '1 person' : `${people.length} people`} may (${people.join(', ')})`
    }.`,
    `该请求无法完成审批：需要 ${required} 人批准，但${
      people.length === 0 ? '没有人有权批准' : `只有 ${people.length} 人有权批准（${people.join('、')}）`
    }。`,
  );
}

/** Approver ids split into people and user groups. */
export function splitIds(ids: readonly string[]): { users: string[]; groups: string[] } {
  return {
    users: ids.filter((id) => !SLACK_USERGROUP_ID.test(id)),
    groups: ids.filter((id) => SLACK_USERGROUP_ID.test(id)),
  };
}
