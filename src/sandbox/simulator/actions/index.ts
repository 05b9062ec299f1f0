/**
 * Every action the simulator implements, by its API name. The HTTP layer answers
 * `InvalidApi.NotFound` for any other name.
 */
import type { Handler } from './common.js';
import { customerGatewayActions } from './customer-gateways.js';
import { networkActions } from './network.js';
import { vpnConnectionChangeActions } from './vpn-connection-changes.js';
import { vpnConnectionConfigActions } from './vpn-connection-config.js';
import { vpnConnectionActions } from './vpn-connections.js';
import { vpnGatewayActions } from './vpn-gateways.js';

export { type ActionContext, COMMON_PARAMS, type Handler, type Params } from './common.js';

export const ACTIONS: Readonly<Record<string, Handler>> = {
  ...vpnGatewayActions,
  ...customerGatewayActions,
  ...vpnConnectionActions,
  ...vpnConnectionChangeActions,
  ...vpnConnectionConfigActions,
  ...networkActions,
};
