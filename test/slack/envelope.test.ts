import { describe, expect, it } from 'vitest';
import { slackBodyProblem } from '../../src/slack/envelope.js';

const user = { id: 'U0ASKER' };
const view = { id: 'V1', callback_id: 'create_customer_gateway', state: { values: {} } };

describe('the shape of what Slack sends', () => {
  it.each([
    ['a click', { type: 'block_actions', user, actions: [{ action_id: 'approve_request' }] }],
    [
      'a click with fields nobody reads',
      { type: 'block_actions', user, actions: [{ action_id: 'a', x: 1 }], z: [] },
    ],
    ['an option load', { type: 'block_suggestion', user, action_id: 'RegionId', value: '', view }],
    [
      'a submission with every kind of element state',
      {
        type: 'view_submission',
        user,
        view: {
          ...view,
          state: {
            values: {
              RegionId: { a: { type: 'static_select', selected_option: { value: 'cn-beijing' } } },
              Name: { a: { type: 'plain_text_input', value: null } },
              Flag: { a: { type: 'checkboxes', selected_options: [{ value: 'true' }] } },
              Vpc: { a: { type: 'external_select', selected_option: null } },
            },
          },
        },
      },
    ],
    ['an interaction of a type the app does not handle', { type: 'workflow_step_edit', user }],
  ])('accepts %s', (_name, body) => {
    expect(slackBodyProblem(body, 'interaction')).toBeUndefined();
  });

  it.each([
    ['not an object', [], 'body'],
    ['no user', { type: 'block_actions', actions: [{ action_id: 'a' }] }, 'user'],
    ['a user that is a string', { type: 'block_actions', user: 'U0X' }, 'user'],
    ['an empty user id', { type: 'block_actions', user: { id: '' } }, 'user.id'],
    ['no actions', { type: 'block_actions', user }, 'actions'],
    ['an empty list of actions', { type: 'block_actions', user, actions: [] }, 'actions'],
    [
      'an action without an id',
      { type: 'block_actions', user, actions: [{ action_id: 'a' }, {}] },
      'actions.1.action_id',
    ],
    ['a submission without a view', { type: 'view_submission', user }, 'view'],
    [
      'a state value that is not an element state',
      { type: 'view_submission', user, view: { ...view, state: { values: { IpAddress: null } } } },
      'view.state.values.IpAddress',
    ],
    [
      'a selected option without a value',
      {
        type: 'view_submission',
        user,
        view: { ...view, state: { values: { R: { a: { selected_option: {} } } } } },
      },
      'view.state.values.R.a.selected_option.value',
    ],
    ['an option load without an action id', { type: 'block_suggestion', user, value: '' }, 'action_id'],
  ])('refuses %s, naming where', (_name, body, where) => {
    expect(slackBodyProblem(body, 'interaction')).toBe(`${where}: unexpected shape`);
  });

  it("takes a type named like an object's own property for a type nobody handles", () => {
    for (const type of ['constructor', '__proto__', 'toString', 'hasOwnProperty'])
      expect(slackBodyProblem({ type, user }, 'interaction')).toBeUndefined();
  });

  it('checks a state value under any block id, `__proto__` included, as JSON.parse makes it an own field', () => {
    const body = JSON.parse(
      JSON.stringify({ type: 'view_submission', user, view: { ...view, state: { values: {} } } }).replace(
        '"values":{}',
        '"values":{"__proto__":null}',
      ),
    ) as unknown;
    expect(slackBodyProblem(body, 'interaction')).toBe('view.state.values.__proto__: unexpected shape');
  });

  it('checks slash commands and form fields', () => {
    const command = { command: '/gateway', text: 'help', user_id: 'U0A', channel_id: 'C0A', trigger_id: 't' };
    expect(slackBodyProblem(command, 'form')).toBeUndefined();
    expect(slackBodyProblem({ ssl_check: '1', token: 'x' }, 'form')).toBeUndefined();
    expect(slackBodyProblem({ ...command, text: ['help', 'list'] }, 'form')).toBe('text: unexpected shape');
    expect(slackBodyProblem({ ...command, user_id: '' }, 'form')).toBe('user_id: unexpected shape');
    expect(slackBodyProblem({}, 'form')).toBe('command: unexpected shape');
  });

  it('checks Events API bodies', () => {
    expect(slackBodyProblem({ type: 'url_verification', challenge: 'c' }, 'json')).toBeUndefined();
    expect(slackBodyProblem({ type: 'event_callback', event: { type: 'message' } }, 'json')).toBeUndefined();
    expect(slackBodyProblem({ type: 'url_verification' }, 'json')).toBe('type: unexpected shape');
    expect(slackBodyProblem({ type: 'event_callback', event: 'x' }, 'json')).toBe('event: unexpected shape');
    expect(slackBodyProblem(null, 'json')).toBe('body: unexpected shape');
    expect(slackBodyProblem({}, 'json')).toBe('type: unexpected shape');
  });
});
