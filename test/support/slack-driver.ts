/**
 * People using the bot through Slack, for tests that run the bot in other processes: type
 * `/gateway`, fill the modal the bot opened, click buttons — each a signed request, as Slack sends.
 */
import {
  blockActionPayload,
  type FakeSlack,
  type FormValue,
  interactionBody,
  postToApp,
  slashCommandBody,
  viewSubmissionPayload,
} from '../../src/sandbox/fake-slack/index.js';

export interface OpenModal {
  view: Record<string, unknown>;
  viewId: string;
}

export function slackDriver(
  slack: FakeSlack,
  eventsUrl: () => string,
  signingSecret: string,
  channel = 'C0NETOPS',
) {
  const send = (body: string) => postToApp(eventsUrl(), signingSecret, body);
  /** Types `/gateway <kind>` as `user` and returns the modal the bot opened. */
  async function openModal(user: string, kind: 'vpn' | 'customer'): Promise<OpenModal> {
    const triggerId = slack.issueTriggerId(user);
    const typed = await send(
      slashCommandBody({
        command: '/gateway',
        text: kind,
        user_id: user,
        channel_id: channel,
        trigger_id: triggerId,
      }),
    );
    if (typed.status !== 200) throw new Error(`/gateway ${kind} answered ${typed.status}`);
    // The modal opened for this keystroke (several people may be typing at once).
    const call = await slack.waitFor(() =>
      slack.callsTo('views.open').find((c) => c.params.trigger_id === triggerId),
    );
    return {
      view: call.params.view as Record<string, unknown>,
      viewId: String((call.response.view as { id: string }).id),
    };
  }
  /** Submits a modal, as a click on its Submit button does (again, after Slack showed an error). */
  function submit(user: string, modal: OpenModal, values: Record<string, FormValue>) {
    return send(
      interactionBody(viewSubmissionPayload({ user, view: modal.view, viewId: modal.viewId, values })),
    );
  }
  return {
    openModal,
    submit,
    /** Opens the kind's modal as `user` and submits `values`; resolves with the bot's answer to the submission. */
    async request(user: string, kind: 'vpn' | 'customer', values: Record<string, FormValue>) {
      return submit(user, await openModal(user, kind), values);
    },
    click(user: string, actionId: string, requestId: string, messageTs: string) {
      return send(
        interactionBody(
          blockActionPayload({
            user,
            channel,
            messageTs,
            actionId,
            value: requestId,
            triggerId: slack.issueTriggerId(user),
          }),
        ),
      );
    },
  };
}
