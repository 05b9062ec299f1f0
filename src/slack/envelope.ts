/**
 * The shapes of what Slack sends this app: a slash command's form fields, an interaction's
 * `payload` (its type, who acted, and the parts Bolt and the handlers read), an Events API body.
 * A signed request matching none of them is malformed: it is answered 400 and never reaches
 * Bolt, which throws on some (`payload=null` kills a process with no guard) and leaves others
 * unanswered for 3 s. Only what is read is required; every shape lets other fields through, so a
 * field Slack adds tomorrow is no problem.
 */
import { array, type Check, either, HERE, id, literal, object, optional, record, string } from './shape.js';
import { viewStateValues } from './view-state.js';

const user = object({ id, name: optional(string) });
const state = object({ values: viewStateValues });
const viewFields = {
  id,
  callback_id: optional(string),
  private_metadata: optional(string),
  hash: optional(string),
  state: optional(state),
};
const view = object(viewFields);

/** The parts of each interaction the app reads; other types need only a type and a user. */
const interactionShapes = new Map<string, Check>([
  [
    'block_actions',
    object({
      actions: array(object({ action_id: id, block_id: optional(string) }), { min: 1 }),
      channel: optional(object({ id })),
      view: optional(view),
    }),
  ],
  [
    'block_suggestion',
    object({ action_id: id, block_id: optional(string), value: optional(string), view: optional(view) }),
  ],
  ['view_submission', object({ view: object({ ...viewFields, callback_id: string, state }) })],
  ['view_closed', object({ view: object({ ...viewFields, callback_id: string }) })],
  ['shortcut', object({ callback_id: id })],
  ['message_action', object({ callback_id: id })],
]);

const interaction = object({ type: id, user });

/** Slash commands (and Slack's `ssl_check`) arrive as form fields, each given once. */
const formFields = record(string);
const slashCommand = object({ command: id, text: string, user_id: id, channel_id: id, trigger_id: string });

const eventsApi = either(
  object({ type: literal('url_verification'), challenge: string }),
  object({
    type: (v) => (v === 'url_verification' ? HERE : string(v)),
    event: optional(object({ type: id })),
  }),
);

export type SlackBodyKind = 'interaction' | 'form' | 'json';

/**
 * Why a parsed body is not one Slack sends (for the log), or undefined when it is well formed.
 * `kind`: an interaction's `payload` JSON, other form fields, or a JSON body.
 */
export function slackBodyProblem(body: unknown, kind: SlackBodyKind): string | undefined {
  const problem = (wrong: readonly string[] | undefined) =>
    wrong ? `${wrong.join('.') || 'body'}: unexpected shape` : undefined;
  if (kind === 'interaction') {
    const base = interaction(body);
    if (base) return problem(base);
    const shape = interactionShapes.get((body as { type: string }).type);
    return shape ? problem(shape(body)) : undefined;
  }
  if (kind === 'form') {
    const fields = formFields(body);
    if (fields) return problem(fields);
    if ((body as Record<string, string>).ssl_check === '1') return undefined;
    return problem(slashCommand(body));
  }
  return problem(eventsApi(body));
}
