/**
 * What depends on a gateway: the IPsec-VPN connections that use a VPN gateway or a customer
 * gateway, which must be deleted first. Alibaba's pages say a gateway with connections cannot be
 * deleted but name no error code; `DependencyViolation.VpnConnection` (400) is chosen in the
 * `DependencyViolation.<Resource>` style of Alibaba's other dependency errors, and its message names
 * the connections so a person knows what to delete.
 */
import { SimError } from '../errors.js';
import type { SimulatorState } from '../state.js';

/** Ids of the connections on this VPN gateway or using this customer gateway (on any tunnel). */
export function connectionsUsing(
  state: SimulatorState,
  gateway: { vpnGatewayId: string } | { customerGatewayId: string },
): string[] {
  return [...state.vpnConnections.values()]
    .filter((c) =>
      'vpnGatewayId' in gateway
        ? c.VpnGatewayId === gateway.vpnGatewayId
        : c.tunnels.some((t) => t.CustomerGatewayId === gateway.customerGatewayId),
    )
    .map((c) => c.VpnConnectionId);
}

/** Throws `DependencyViolation.VpnConnection` when any connection uses the gateway. */
export function refuseWhileUsed(
  state: SimulatorState,
  gateway: { vpnGatewayId: string } | { customerGatewayId: string },
): void {
  const ids = connectionsUsing(state, gateway);
  if (ids.length === 0) return;
  const what = 'vpnGatewayId' in gateway ? 'VPN gateway' : 'customer gateway';
  throw new SimError(
    'DependencyViolation.VpnConnection',
    400,
    `The specified ${what} is used by IPsec-VPN connection(s) ${ids.join(', ')}; delete them first.`,
  );
}
