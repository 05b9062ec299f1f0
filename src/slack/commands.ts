/**
 * `/gateway` and its subcommands. The words that open a modal come from the resource declarations;
 * parsing and the ephemeral answers (help, status, list) are pure, so the handler only
 * acknowledges with what these return. They are private, so they speak the language of the person
 * who typed the command. Anything a person typed is echoed inert. A placeholder in
 * angle brackets is written `&lt;request-id&gt;`: mrkdwn would read `<request-id>` as a link.
 */
import type { KnownBlock } from '@slack/types';
import { type Locale, messages } from '../i18n/index.js';
import { type Resource, resourceByWord, resources } from '../resources/index.js';
import { fitText } from '../text/fit.js';
import { escapeMrkdwn, inertInline } from '../text/mrkdwn.js';
import type { ResourceRequest } from '../workflow/types.js';
import { SLACK_LIMITS } from './limits.js';
import {
  driftLines,
  type RenderContext,
  renderRequestMessage,
  resourceTitle,
  resultFacts,
  sandboxBanner,
  stateLabel,
} from './render.js';

export type GatewayCommand =
  | { kind: 'open'; resource: Resource }
  | { kind: 'status'; id: string }
  | { kind: 'status_missing_id' }
  | { kind: 'delete'; id: string }
  | { kind: 'delete_missing_id' }
  | { kind: 'rotate_key'; id: string }
  | { kind: 'rotate_key_missing_id' }
  | { kind: 'adopt'; id: string }
  | { kind: 'adopt_missing_id' }
  | { kind: 'list' }
  | { kind: 'help'; unknown?: string };

export function parseCommand(text: string): GatewayCommand {
  const [first = '', ...rest] = text.trim().split(/\s+/);
  const word = first.toLowerCase();
  const resource = resourceByWord(word);
  if (resource) return { kind: 'open', resource };
  if (word === 'status') {
    const id = rest[0];
    return id ? { kind: 'status', id } : { kind: 'status_missing_id' };
  }
  if (word === 'delete') {
    const id = rest[0];
    return id ? { kind: 'delete', id } : { kind: 'delete_missing_id' };
  }
  if (word === 'rotate-key') {
    const id = rest[0];
    return id ? { kind: 'rotate_key', id } : { kind: 'rotate_key_missing_id' };
  }
  if (word === 'adopt') {
    const id = rest[0];
    return id ? { kind: 'adopt', id } : { kind: 'adopt_missing_id' };
  }
  if (word === 'list') return { kind: 'list' };
  if (word === '' || word === 'help') return { kind: 'help' };
  return { kind: 'help', unknown: first };
}

export interface EphemeralAnswer {
  response_type: 'ephemeral';
  text: string;
  blocks?: KnownBlock[];
}

function answer(text: string): EphemeralAnswer {
  const shown = fitText(text, SLACK_LIMITS.sectionText);
  return {
    response_type: 'ephemeral',
    text: shown,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: shown } }],
  };
}

export function helpAnswer(
  command: string,
  locale: Locale,
  sandbox: boolean,
  unknown?: string,
): EphemeralAnswer {
  const m = messages(locale).command;
  const lines = [
    // First, as on every message and modal of the sandbox.
    sandbox ? sandboxBanner(locale) : '',
    unknown ? m.unknown({ typed: inertInline(unknown, 40) }) : '',
    m.intro,
    ...resources().map((r) => `• \`${command} ${r.words[0]}\` — ${r.summary[locale]}`),
    `• \`${command} status ${m.statusArgs}\` — ${m.statusHelp}`,
    `• \`${command} delete ${m.deleteArgs}\` — ${m.deleteHelp}`,
    `• \`${command} rotate-key ${m.rotateKeyArgs}\` — ${m.rotateKeyHelp}`,
    `• \`${command} adopt ${m.adoptArgs}\` — ${m.adoptHelp}`,
    `• \`${command} list\` — ${m.listHelp}`,
    `• \`${command} help\` — ${m.helpHelp}`,
    m.outro,
  ].filter(Boolean);
  return answer(lines.join('\n'));
}

/**
 * `/gateway status <id>`: the request as its message shows it, in the asker's language (the
 * context's channel language is replaced), without the buttons.
 */
export function statusAnswer(
  id: string,
  request: ResourceRequest | undefined,
  command: string,
  locale: Locale,
  ctx: RenderContext,
): EphemeralAnswer {
  if (!request) {
    const prefixes = resources().map((r) => `\`${r.idPrefix}…\``);
    return answer(messages(locale).command.notFound({ typed: inertInline(id, 80), prefixes, command }));
  }
  const rendered = renderRequestMessage(request, { ...ctx, locale });
  // The status answer shows the record, not the buttons: decisions happen in the request's thread.
  const blocks = rendered.blocks.filter((b) => b.type !== 'actions');
  // And what the resource was last seen as (a connection's tunnels and their BGP sessions).
  const facts =
    request.state === 'succeeded' && (request.operation === 'create' || request.operation === 'adopt')
      ? resultFacts(request, locale)
      : [];
  if (facts.length > 0)
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: fitText([messages(locale).result.lastSeen, ...facts].join('\n'), SLACK_LIMITS.sectionText),
      },
    });
  // And how it differs from what was approved, as the health sweep last saw it.
  const drift = Object.values(request.drift?.differs ?? {});
  if (drift.length > 0)
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: fitText(
          [
            request.baseline ? messages(locale).thread.driftNowAdopted : messages(locale).thread.driftNow,
            ...driftLines(drift, locale, request.baseline !== undefined),
          ].join('\n'),
          SLACK_LIMITS.sectionText,
        ),
      },
    });
  return { response_type: 'ephemeral', text: rendered.text, blocks };
}

export function missingIdAnswer(command: string, locale: Locale): EphemeralAnswer {
  return answer(messages(locale).command.missingId({ command }));
}

export function missingDeleteIdAnswer(command: string, locale: Locale): EphemeralAnswer {
  const prefixes = resources()
    .filter((r) => r.delete)
    .map((r) => `\`${r.idPrefix}…\``);
  return answer(messages(locale).command.missingDeleteId({ command, prefixes }));
}

export function missingAdoptIdAnswer(command: string, locale: Locale): EphemeralAnswer {
  const prefixes = resources()
    .filter((r) => r.adopt)
    .map((r) => `\`${r.idPrefix}…\``);
  return answer(messages(locale).command.missingAdoptId({ command, prefixes }));
}

export function missingRotateKeyIdAnswer(command: string, locale: Locale): EphemeralAnswer {
  const prefixes = resources()
    .filter((r) => r.rotateKey)
    .map((r) => `\`${r.idPrefix}…\``);
  return answer(messages(locale).command.missingRotateKeyId({ command, prefixes }));
}

/** What `/gateway delete` says privately: the deletion request is posted, or why not. */
export function deleteAnswer(message: string): EphemeralAnswer {
  return answer(message);
}

export function listAnswer(
  requests: ResourceRequest[],
  total: number,
  command: string,
  locale: Locale,
): EphemeralAnswer {
  const m = messages(locale).command;
  if (requests.length === 0) return answer(m.listEmpty);
  const lines = requests.map((r) =>
    m.listLine({
      id: r.id,
      doing: r.operation,
      title: resourceTitle(r, locale),
      region: escapeMrkdwn(r.params.RegionId),
      state: stateLabel(r.state, locale, r.operation),
      made: r.cloud.resourceId ? escapeMrkdwn(r.cloud.resourceId) : '',
      who: `<@${r.requester.userId}>`,
      when: `<!date^${Math.floor(r.createdAt / 1000)}^{date_short} {time}|${new Date(r.createdAt).toISOString()}>`,
    }),
  );
  const more = total - requests.length;
  return answer(
    [m.listHeading, ...lines, more > 0 ? m.listMore({ more, command }) : ''].filter(Boolean).join('\n'),
  );
}
