/**
 * What the playground page receives and sends: Block Kit as far as the page draws it, the fake
 * Slack's messages and views, and view state as Slack submits it. These mirror the server's
 * shapes; the page runs in a browser and cannot import them from the server's modules.
 */
import type { Role } from './words.js';

export interface TextObject {
  type: 'plain_text' | 'mrkdwn';
  text: string;
}

export interface OptionObject {
  text: TextObject;
  value: string;
}

export interface ConfirmObject {
  title?: TextObject;
  text: TextObject;
  confirm?: TextObject;
  deny?: TextObject;
  style?: 'primary' | 'danger';
}

export interface ButtonElement {
  type: 'button';
  action_id: string;
  text: TextObject;
  value?: string;
  style?: 'primary' | 'danger';
  confirm?: ConfirmObject;
}

/** A select in a message (the device configuration's format, in its private answer). */
export interface MessageSelect {
  type: 'static_select';
  action_id: string;
  options: OptionObject[];
  initial_option?: OptionObject;
  placeholder?: TextObject;
}

export type InputElement =
  | {
      type: 'plain_text_input';
      action_id: string;
      multiline?: boolean;
      initial_value?: string;
      placeholder?: TextObject;
      max_length?: number;
    }
  | {
      type: 'static_select';
      action_id: string;
      options: OptionObject[];
      initial_option?: OptionObject;
      placeholder?: TextObject;
    }
  | { type: 'external_select'; action_id: string; initial_option?: OptionObject; placeholder?: TextObject }
  | { type: 'radio_buttons'; action_id: string; options: OptionObject[]; initial_option?: OptionObject }
  | { type: 'checkboxes'; action_id: string; options: OptionObject[]; initial_options?: OptionObject[] };

export type Block =
  | {
      type: 'section';
      block_id?: string;
      text?: TextObject;
      fields?: TextObject[];
      accessory?: ButtonElement | { type: string };
    }
  | { type: 'context'; block_id?: string; elements: TextObject[] }
  | { type: 'header'; block_id?: string; text: TextObject }
  | { type: 'divider'; block_id?: string }
  | { type: 'actions'; block_id?: string; elements: (ButtonElement | MessageSelect)[] }
  | {
      type: 'input';
      block_id: string;
      label: TextObject;
      hint?: TextObject;
      optional?: boolean;
      dispatch_action?: boolean;
      element: InputElement;
    };

export interface Message {
  ts: string;
  channel: string;
  text: string;
  blocks?: Block[];
  thread_ts?: string;
  reply_broadcast?: boolean;
  replies?: string[];
}

/** Where an ephemeral answer is shown: under the message whose button brought it. */
export interface Anchor {
  ts: string;
  pane: Pane;
}

export type Pane = 'channel' | 'thread';

export interface Ephemeral {
  message_ts: string;
  channel?: string;
  user: string;
  text: string;
  blocks?: Block[];
  thread_ts?: string;
  anchor?: Anchor;
  /** A message in the person's direct message with the bot, shown here as only they see it. */
  direct?: boolean;
}

export interface ModalView {
  type?: 'modal';
  callback_id?: string;
  external_id?: string;
  private_metadata?: string;
  title?: TextObject;
  submit?: TextObject;
  close?: TextObject;
  blocks: Block[];
}

export interface View {
  id: string;
  hash: string;
  user?: string;
  view: ModalView;
}

/** A person's Home tab as the bot last published it (views.publish). */
export interface HomeView {
  id: string;
  hash: string;
  user: string;
  view: { type: 'home'; blocks: Block[] };
}

export interface User {
  id: string;
  name: string;
  real_name: string;
  /** The person's Slack locale (`en-US`, `zh-CN`): the page speaks it too. */
  locale?: string;
}

/** `GET /playground/state`. */
export interface PlaygroundState {
  users: User[];
  /** What each person is in the story, by user id. */
  roles: Record<string, Role>;
  channel: { id: string; name: string };
  channels: { id: string; name: string; messages: Message[] }[];
  sandbox: boolean;
  slashCommand: string;
  /** Each person's Home tab, as last published. */
  homes: HomeView[];
}

export type ElementState =
  | { type: 'plain_text_input'; value: string | null }
  | { type: 'static_select' | 'external_select' | 'radio_buttons'; selected_option: OptionObject | null }
  | { type: 'checkboxes'; selected_options: OptionObject[] };

export interface ViewState {
  values: Record<string, Record<string, ElementState>>;
}

/** `GET /playground/sandbox`: the simulated account as the "your site" panel shows it (sandbox.ts). */
export interface SandboxListing {
  sandbox: boolean;
  customerGateways: {
    id: string;
    name: string;
    ipAddress: string;
    regionId: string;
    asn?: string;
    configured: boolean;
  }[];
  connections: {
    id: string;
    name: string;
    regionId: string;
    vpnGatewayId: string;
    tunnels: {
      index: number;
      customerGatewayId: string;
      role: string;
      up: boolean;
      takenDown: boolean;
      bgp?: { tunnelCidr: string; established: boolean };
    }[];
    configured: boolean;
  }[];
}

/** What the relay answers for a command or an interaction: the bot's HTTP answer. */
export interface AppAnswer {
  status: number;
  body: unknown;
}
