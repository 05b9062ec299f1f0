/**
 * The shapes of what Slack sends this app: a slash command's form fields, an interaction's
 * `payload` (its type, who acted, and the parts Bolt and the handlers read), an Events API body.
 * A signed request matching none of them is malformed: it is answered 400 and never reaches
 * Bolt, which throws on some (`payload=null` kills a process with no guard) and leaves others
 * unanswered for 3 s. Only what is read is required; every shape lets other fields through, so a
 * field Slack adds tomorrow is no problem.
 */
import { z } from 'zod';
import { viewStateValuesSchema } from './view-state.js';

const id = z.string().min(1);
const user = z.looseObject({ id, name: z.string().optional() });
const state = z.looseObject({ values: viewStateValuesSchema });
const view = z.looseObject({
  id,
  callback_id: z.string().optional(),
  private_metadata: z.string().optional(),
  hash: z.string().optional(),
  state: state.optional(),
});

/** The parts of each interaction the app reads; other types need only a type and a user. */
const interactionShapes: Record<string, z.ZodType> = {
  block_actions: z.looseObject({
    actions: z.array(z.looseObject({ action_id: id, block_id: z.string().optional() })).min(1),
    channel: z.looseObject({ id }).optional(),
    view: view.optional(),
  }),
  block_suggestion: z.looseObject({
    action_id: id,
    block_id: z.string().optional(),
    value: z.string().optional(),
    view: view.optional(),
  }),
  view_submission: z.looseObject({ view: view.extend({ callback_id: z.string(), state }) }),
  view_closed: z.looseObject({ view: view.extend({ callback_id: z.string() }) }),
  shortcut: z.looseObject({ callback_id: id }),
  message_action: z.looseObject({ callback_id: id }),
};

const interaction = z.looseObject({ type: id, user });

/** Slash commands (and Slack's `ssl_check`) arrive as form fields, each given once. */
const formFields = z.record(z.string(), z.string());
const slashCommand = z.looseObject({
  command: id,
  text: z.string(),
  user_id: id,
  channel_id: id,
  trigger_id: z.string(),
});

const eventsApi = z.union([
  z.looseObject({ type: z.literal('url_verification'), challenge: z.string() }),
  z.looseObject({
    type: z.string().refine((t) => t !== 'url_verification'),
    event: z.looseObject({ type: id }).optional(),
  }),
]);

export type SlackBodyKind = 'interaction' | 'form' | 'json';

/**
 * Why a parsed body is not one Slack sends (for the log), or undefined when it is well formed.
 * `kind`: an interaction's `payload` JSON, other form fields, or a JSON body.
 */
export function slackBodyProblem(body: unknown, kind: SlackBodyKind): string | undefined {
  const problem = (result: { success: boolean; error?: z.ZodError }) =>
    result.success ? undefined : `${result.error?.issues[0]?.path.join('.') || 'body'}: unexpected shape`;
  if (kind === 'interaction') {
    const base = interaction.safeParse(body);
    if (!base.success) return problem(base);
    const shape = interactionShapes[base.data.type];
    return shape ? problem(shape.safeParse(body)) : undefined;
  }
  if (kind === 'form') {
    const fields = formFields.safeParse(body);
    if (!fields.success) return problem(fields);
    if (fields.data.ssl_check === '1') return undefined;
    return problem(slashCommand.safeParse(fields.data));
  }
  return problem(eventsApi.safeParse(body));
}
