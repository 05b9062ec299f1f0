/**
 * The page's way to the bot: the playground relay signs what the page sends as Slack would and
 * returns the bot's HTTP answer.
 */
import { state } from './state.js';
import type { AppAnswer } from './types.js';

async function post(path: string, body: unknown): Promise<AppAnswer> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) return { status: res.status, body: await res.text() };
  return (await res.json()) as AppAnswer;
}

/** A slash command typed by the current person. */
export function command(text: string): Promise<AppAnswer> {
  return post('/playground/command', { user: state.user, text });
}

/** An interaction payload (click, option load, submission) from the current person. */
export function interaction(payload: Record<string, unknown>): Promise<AppAnswer> {
  return post('/playground/interaction', { user: state.user, payload });
}

/** The bot's answer body as an object, or an empty one when it answered with text or nothing. */
export function answerBody(answer: AppAnswer): Record<string, unknown> {
  return answer.body && typeof answer.body === 'object' ? (answer.body as Record<string, unknown>) : {};
}
