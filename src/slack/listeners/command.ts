/**
 * `/gateway` and its subcommands: a word that opens a modal, `help`, `status`, `list`, `delete`,
 * `rotate-key` and `adopt`. Everything is answered inside the ack but an operation on an existing
 * resource, whose lookup may ask every region: it is acknowledged at once and its outcome told
 * privately after.
 */
import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { type Locale, messages } from '../../i18n/index.js';
import { inertInline } from '../../text/mrkdwn.js';
import {
  deleteAnswer,
  type GatewayCommand,
  helpAnswer,
  listAnswer,
  missingAdoptIdAnswer,
  missingDeleteIdAnswer,
  missingIdAnswer,
  missingRotateKeyIdAnswer,
  parseCommand,
  statusAnswer,
} from '../commands.js';
import { buildResourceModal } from '../modals.js';
import type { ListenerContext } from './context.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export function listenForCommand(app: App, c: ListenerContext): void {
  app.command(c.slashCommand, async (args) => {
    const parsed = parseCommand(args.command.text ?? '');
    if (parsed.kind === 'open') return openModal(args, parsed, c);
    const locale = await c.locales.of(args.command.user_id);
    if (parsed.kind === 'delete' || parsed.kind === 'rotate_key' || parsed.kind === 'adopt')
      return askOnExisting(args, parsed, locale, c);
    return args.ack(await answerInAck(args, parsed, locale, c));
  });
}

/** The trigger id dies 3 s after the keystroke: ack, then open the modal straight away. */
async function openModal(
  { command, ack, client }: CommandArgs,
  parsed: Extract<GatewayCommand, { kind: 'open' }>,
  c: ListenerContext,
): Promise<void> {
  await ack();
  const locale = await c.locales.of(command.user_id);
  const modal = c.modal(command.channel_id, locale);
  // A channel no account lists gets no form, and hears why.
  if (modal.accounts.length === 0)
    return c.tellOnly(command.channel_id, command.user_id, (l) => messages(l).accounts.noneForChannel);
  await client.views.open({
    trigger_id: command.trigger_id,
    view: buildResourceModal(parsed.resource, modal),
  });
}

/** Each operation on an existing resource: how it is asked for, and what is said once it is posted. */
const ON_EXISTING = {
  delete: {
    submit: (c: ListenerContext) => c.workflow.submitDelete.bind(c.workflow),
    posted: (l: Locale, id: string) => messages(l).command.deletionPosted({ id }),
    logged: 'deletion asked for',
  },
  rotate_key: {
    submit: (c: ListenerContext) => c.workflow.submitRotateKey.bind(c.workflow),
    posted: (l: Locale, id: string) => messages(l).command.rotationPosted({ id }),
    logged: 'key rotation asked for',
  },
  adopt: {
    submit: (c: ListenerContext) => c.workflow.submitAdopt.bind(c.workflow),
    posted: (l: Locale, id: string) => messages(l).command.adoptionPosted({ id }),
    logged: 'adoption asked for',
  },
} as const;

/**
 * A deletion, a key rotation or an adoption: finding the resource may ask every region, so Slack is
 * answered now and the outcome told privately after.
 */
async function askOnExisting(
  { command, ack }: CommandArgs,
  parsed: Extract<GatewayCommand, { kind: 'delete' | 'rotate_key' | 'adopt' }>,
  locale: Locale,
  c: ListenerContext,
): Promise<void> {
  await ack(deleteAnswer(messages(locale).command.lookingFor({ typed: inertInline(parsed.id, 80) })));
  const input = {
    resourceId: parsed.id,
    requester: { userId: command.user_id, name: command.user_name },
    channelId: command.channel_id,
    locale,
    requestIdSeed: command.trigger_id,
  };
  const operation = ON_EXISTING[parsed.kind];
  const result = await operation.submit(c)(input);
  c.logger.info(
    { requestId: result.ok ? result.request.id : undefined, user: command.user_id, ok: result.ok },
    operation.logged,
  );
  await c.tellOnly(
    command.channel_id,
    command.user_id,
    result.ok ? (l) => operation.posted(l, result.request.id) : result.message,
  );
}

/** The private answer of help, status and list, given with the ack. */
async function answerInAck(
  { command }: CommandArgs,
  parsed: Exclude<GatewayCommand, { kind: 'open' | 'delete' | 'rotate_key' | 'adopt' }>,
  locale: Locale,
  c: ListenerContext,
) {
  switch (parsed.kind) {
    case 'help':
      return helpAnswer(c.slashCommand, locale, c.render().sandbox, parsed.unknown);
    case 'status_missing_id':
      return missingIdAnswer(c.slashCommand, locale);
    case 'delete_missing_id':
      return missingDeleteIdAnswer(c.slashCommand, locale);
    case 'rotate_key_missing_id':
      return missingRotateKeyIdAnswer(c.slashCommand, locale);
    case 'adopt_missing_id':
      return missingAdoptIdAnswer(c.slashCommand, locale);
    case 'status': {
      const found = await c.workflow.find(parsed.id);
      const visible = found && (await c.workflow.visibleTo(found, command.user_id, command.channel_id));
      return statusAnswer(parsed.id, visible ? found : undefined, c.slashCommand, locale, c.render());
    }
    case 'list': {
      const { requests, total } = await c.workflow.recent(command.channel_id);
      return listAnswer(requests, total, c.slashCommand, locale);
    }
  }
}
