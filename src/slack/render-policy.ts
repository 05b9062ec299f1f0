/**
 * What the approval policy adds to a request's messages: the rules that applied and what each asks
 * ("2 approvals from <!subteam^S0LEADS>: rule prepay-needs-two"), the approvals needed, and the
 * reminder posted in the thread while nobody decides. Read from the requirement recorded on the
 * request (its rule names and Slack ids were checked when the policy file was read, and an
 * evaluator's error is quoted inert), so these lines are the bot's own mrkdwn.
 */
import { type Locale, messages } from '../i18n/index.js';
import type { ResourceRequest } from '../workflow/types.js';

/** The approvals a request needs: the policy's count, or the base rule's for older records. */
export function approvalsNeeded(request: ResourceRequest, baseRequired: number): number {
  return request.requirement?.requiredApprovals ?? baseRequired;
}

/** "*Approval policy*" and one line per rule that applied; undefined when only the base rule did. */
export function policyLines(request: ResourceRequest, locale: Locale): string | undefined {
  const matches = request.requirement?.matches ?? [];
  if (matches.length === 0) return undefined;
  return [messages(locale).policy.heading, ...matches.map((m) => `• ${m.explanation[locale]}`)].join('\n');
}

/** The reminder in the thread: still waiting, how far along, until when, and who may approve. */
export function reminderText(
  request: ResourceRequest,
  baseRequired: number,
  expires: string,
  locale: Locale,
): string {
  return messages(locale).policy.reminder({
    given: request.approvals.length,
    needed: approvalsNeeded(request, baseRequired),
    expires,
    who: request.requirement?.summary[locale] ?? '',
  });
}
