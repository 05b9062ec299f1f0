/**
 * The shape of a gateway specification: one declaration per gateway kind, from which the
 * validation, the API parameters, the modal and the approval summary are all derived. Adding a
 * parameter is one edit in the kind's declaration.
 */
import type { Text } from '../i18n/index.js';

export type ParamType = 'string' | 'integer' | 'boolean';

/** How the modal asks for a value (design section 4 fixes which parameters use which). */
export type InputHint = 'text' | 'multiline' | 'static_select' | 'radio' | 'checkbox' | 'external_select';

export type ParamValue = string | number | boolean;

export interface ValueChoice {
  value: ParamValue;
  label: Text;
}

/** A check on a present, well-typed value; the message says what is wrong and what is allowed. */
export interface ValueRule {
  test: (value: string) => boolean;
  message: Text;
}

/** Value lists that Alibaba has changed since the seeds, supplied by configuration. */
export interface GatewayValidationOptions {
  bandwidthValues?: readonly number[];
  sslConnectionValues?: readonly number[];
}

export type DynamicValues = 'bandwidth' | 'sslConnections';

export interface ParamSpec {
  /** Alibaba's parameter name; also the modal's block id and action id. */
  name: string;
  type: ParamType;
  required: boolean;
  label: Text;
  help?: Text;
  placeholder?: Text;
  input: InputHint;
  default?: ParamValue;
  /** A fixed value set, or one supplied by configuration. */
  values?: readonly ValueChoice[] | DynamicValues;
  /** Account objects loaded live from the cloud for an external select. */
  source?: 'region' | 'vpc' | 'vswitch';
  minLength?: number;
  maxLength?: number;
  rules?: readonly ValueRule[];
  /** Shown in the modal next to the field (AutoPay's unpaid-order warning). */
  warning?: Text;
  /**
   * Applies only when another parameter has this value: otherwise it is neither shown in the modal
   * nor sent (a Slack select cannot be cleared, so a leftover Period after switching to POSTPAY
   * must be ignored rather than refused).
   */
  onlyWhen?: { param: string; equals: ParamValue };
}

/** A rule across parameters, reported on `param`; `holds` sees the normalised parameters. */
export interface CrossRule {
  param: string;
  holds: (params: Readonly<Record<string, ParamValue | undefined>>) => boolean;
  message: Text;
}

export interface GatewaySpec {
  kind: 'vpn' | 'customer';
  action: 'CreateVpnGateway' | 'CreateCustomerGateway';
  callbackId: 'create_vpn_gateway' | 'create_customer_gateway';
  /** Response field holding the new gateway's id. */
  idField: 'VpnGatewayId' | 'CustomerGatewayId';
  title: Text;
  params: readonly ParamSpec[];
  crossRules: readonly CrossRule[];
}
