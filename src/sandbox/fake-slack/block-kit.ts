/**
 * What Slack refuses in a message or a view, checked the way Slack answers: every problem with the
 * JSON pointer of the failing field (`must be less than 3001 characters [json-pointer:/blocks/2/text/text]`).
 * The fake Web API refuses such calls as Slack does (`invalid_blocks`, `msg_too_long`,
 * `invalid_arguments` for views), so every test runs against Slack's limits; the end-to-end
 * driver uses the same checks on what the bot answers to commands and option loads.
 */
import { SLACK_REFUSES_OVER as L } from './limits.js';

export interface BlockKitProblem {
  /** JSON pointer of the failing field, from the root of the call's arguments. */
  pointer: string;
  message: string;
}

type Problems = BlockKitProblem[];

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function tooLong(problems: Problems, value: unknown, max: number, pointer: string): void {
  if (typeof value === 'string' && value.length > max)
    problems.push({ pointer, message: `must be less than ${max + 1} characters` });
}

function tooMany(problems: Problems, value: unknown, max: number, pointer: string): void {
  if (Array.isArray(value) && value.length > max)
    problems.push({ pointer, message: `no more than ${max} items allowed` });
}

/** A text object's `text` (`{ type: 'plain_text', text }`). */
function textLimit(problems: Problems, textObject: unknown, max: number, pointer: string): void {
  if (isRecord(textObject)) tooLong(problems, textObject.text, max, `${pointer}/text`);
}

function checkConfirm(problems: Problems, confirm: unknown, pointer: string): void {
  if (!isRecord(confirm)) return;
  textLimit(problems, confirm.title, L.confirmTitle, `${pointer}/title`);
  textLimit(problems, confirm.text, L.confirmText, `${pointer}/text`);
  textLimit(problems, confirm.confirm, L.confirmConfirm, `${pointer}/confirm`);
  textLimit(problems, confirm.deny, L.confirmDeny, `${pointer}/deny`);
}

function checkOptionList(problems: Problems, options: unknown, pointer: string): void {
  if (!Array.isArray(options)) return;
  tooMany(problems, options, L.options, pointer);
  options.forEach((option, i) => {
    if (isRecord(option)) textLimit(problems, option.text, L.optionText, `${pointer}/${i}/text`);
  });
}

function checkElement(problems: Problems, element: unknown, pointer: string): void {
  if (!isRecord(element)) return;
  tooLong(problems, element.action_id, L.actionId, `${pointer}/action_id`);
  checkConfirm(problems, element.confirm, `${pointer}/confirm`);
  checkOptionList(problems, element.options, `${pointer}/options`);
  if (Array.isArray(element.option_groups)) {
    element.option_groups.forEach((group, g) => {
      if (isRecord(group)) checkOptionList(problems, group.options, `${pointer}/option_groups/${g}/options`);
    });
  }
  if (isRecord(element.initial_option))
    textLimit(problems, element.initial_option.text, L.optionText, `${pointer}/initial_option/text`);
  checkOptionList(problems, element.initial_options, `${pointer}/initial_options`);
  if (element.type === 'button') textLimit(problems, element.text, L.buttonText, `${pointer}/text`);
  if (element.type === 'plain_text_input') {
    for (const key of ['max_length', 'min_length'] as const) {
      const n = element[key];
      if (n === undefined) continue;
      const low = key === 'max_length' ? 1 : 0;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < low || n > L.plainTextInputMaxLength) {
        problems.push({
          pointer: `${pointer}/${key}`,
          message: `must be an integer from ${low} to ${L.plainTextInputMaxLength}`,
        });
      }
    }
  }
}

function checkBlock(problems: Problems, block: unknown, pointer: string): void {
  if (!isRecord(block) || typeof block.type !== 'string') {
    problems.push({ pointer, message: 'missing required field: type' });
    return;
  }
  tooLong(problems, block.block_id, L.blockId, `${pointer}/block_id`);
  switch (block.type) {
    case 'section':
      textLimit(problems, block.text, L.sectionText, `${pointer}/text`);
      checkElement(problems, block.accessory, `${pointer}/accessory`);
      break;
    case 'header':
      textLimit(problems, block.text, L.headerText, `${pointer}/text`);
      break;
    case 'actions':
      tooMany(problems, block.elements, L.actionsElements, `${pointer}/elements`);
      if (Array.isArray(block.elements)) {
        block.elements.forEach((e, i) => {
          checkElement(problems, e, `${pointer}/elements/${i}`);
        });
      }
      break;
    case 'input':
      checkElement(problems, block.element, `${pointer}/element`);
      break;
  }
}

/** Problems of a `blocks` array, with pointers under `pointer` (`/blocks`, `/view/blocks`). */
export function checkBlocks(blocks: unknown, maxBlocks: number, pointer = '/blocks'): BlockKitProblem[] {
  const problems: Problems = [];
  if (!Array.isArray(blocks)) return [{ pointer, message: 'must be an array' }];
  tooMany(problems, blocks, maxBlocks, pointer);
  blocks.forEach((block, i) => {
    checkBlock(problems, block, `${pointer}/${i}`);
  });
  return problems;
}

export type SlackRefusal =
  | { error: 'msg_too_long' }
  | { error: 'invalid_blocks'; problems: BlockKitProblem[] }
  | { error: 'view_too_large' }
  | { error: 'invalid_arguments'; problems: BlockKitProblem[] };

/** chat.postMessage / chat.update / chat.postEphemeral arguments, or a command's answer. */
export function checkMessage(message: { text?: unknown; blocks?: unknown }): SlackRefusal | undefined {
  if (typeof message.text === 'string' && message.text.length > L.messageText)
    return { error: 'msg_too_long' };
  if (message.blocks === undefined) return undefined;
  const problems = checkBlocks(message.blocks, L.messageBlocks);
  return problems.length ? { error: 'invalid_blocks', problems } : undefined;
}

const MAX_VIEW_BYTES = 250 * 1024;

/** views.open / views.push / views.update / views.publish: the `view` argument. */
export function checkView(view: unknown): SlackRefusal | undefined {
  if (!isRecord(view))
    return { error: 'invalid_arguments', problems: [{ pointer: '/view', message: 'must be an object' }] };
  if (Buffer.byteLength(JSON.stringify(view)) > MAX_VIEW_BYTES) return { error: 'view_too_large' };
  const maxBlocks = view.type === 'home' ? L.homeBlocks : L.modalBlocks;
  const problems = checkBlocks(view.blocks, maxBlocks, '/view/blocks');
  if (view.type === 'modal') {
    const title = isRecord(view.title) ? view.title.text : undefined;
    if (typeof title !== 'string' || title.length === 0)
      problems.push({ pointer: '/view/title/text', message: 'must be at least 1 character' });
    textLimit(problems, view.title, L.modalTitle, '/view/title');
    textLimit(problems, view.submit, L.modalSubmit, '/view/submit');
    textLimit(problems, view.close, L.modalClose, '/view/close');
  }
  tooLong(problems, view.callback_id, L.callbackId, '/view/callback_id');
  tooLong(problems, view.private_metadata, L.privateMetadata, '/view/private_metadata');
  return problems.length ? { error: 'invalid_arguments', problems } : undefined;
}

/** An options load answer (`{ options }` or `{ option_groups }`), which Slack refuses past its limits. */
export function checkOptionsAnswer(answer: unknown): BlockKitProblem[] {
  const problems: Problems = [];
  if (!isRecord(answer)) return problems;
  checkOptionList(problems, answer.options, '/options');
  if (Array.isArray(answer.option_groups)) {
    answer.option_groups.forEach((group, g) => {
      if (isRecord(group)) checkOptionList(problems, group.options, `/option_groups/${g}/options`);
    });
  }
  return problems;
}

/** `must be less than 3001 characters [json-pointer:/blocks/0/text/text]`, as Slack words it. */
export function describeProblem(problem: BlockKitProblem): string {
  return `${problem.message} [json-pointer:${problem.pointer}]`;
}

/** The body of Slack's answer refusing a call. */
export function refusalBody(refusal: SlackRefusal): Record<string, unknown> {
  if (refusal.error === 'msg_too_long' || refusal.error === 'view_too_large')
    return { ok: false, error: refusal.error };
  const described = refusal.problems.map(describeProblem);
  return {
    ok: false,
    error: refusal.error,
    ...(refusal.error === 'invalid_blocks' ? { errors: described } : {}),
    response_metadata: { messages: described.map((d) => `[ERROR] ${d}`) },
  };
}
