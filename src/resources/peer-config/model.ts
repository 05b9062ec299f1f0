/**
 * The on-premises device's side of an IPsec connection, as one value every output format is
 * written from (docs/requests.md, "The peer's configuration"). Read at click time from
 * DownloadVpnConnectionConfig (addresses, subnets, IKE and IPsec settings, the key: written from
 * the device's point of view, so `local` is the device and `remote` is Alibaba) and, for BGP, from
 * DescribeVpnConnection. It holds the pre-shared key: it is never stored, logged or posted in a
 * channel.
 */

/** Phase 1, as Alibaba names its values (`aes256`, `sha256`, `group14`). */
export interface PeerIke {
  version: 'ikev1' | 'ikev2';
  mode: 'main' | 'aggressive';
  encAlg: string;
  authAlg: string;
  /** The Diffie-Hellman group, `group1` … `group24`. */
  dhGroup: string;
  lifetimeSeconds: number;
  /** The device's IKE identity (its public IP unless set otherwise). */
  localId: string;
  /** Alibaba's IKE identity (the tunnel's public IP unless set otherwise). */
  remoteId: string;
  psk: string;
}

/** Phase 2. */
export interface PeerIpsec {
  encAlg: string;
  authAlg: string;
  /** `disabled`, or the PFS group (`group2`). */
  pfs: string;
  lifetimeSeconds: number;
}

/** BGP over the tunnel, from the device's side. */
export interface PeerBgp {
  /** The device's ASN (the customer gateway's `Asn`). */
  localAsn: string;
  /** Alibaba's ASN (`LocalAsn` of the connection, 45104 unless set). */
  peerAsn: string;
  /** The tunnel's /30 inside 169.254.0.0/16. */
  tunnelCidr: string;
  /** The device's address inside the /30. */
  localIp: string;
  /** Alibaba's address inside the /30. */
  peerIp: string;
}

export interface PeerTunnel {
  /** 1 for the master (or only) tunnel, 2 for the slave. */
  index: number;
  tunnelId?: string;
  role?: 'master' | 'slave';
  /** The device's public address. */
  local: string;
  /** Alibaba's public address for this tunnel. */
  remote: string;
  ike: PeerIke;
  ipsec: PeerIpsec;
  bgp?: PeerBgp;
}

export interface PeerConfig {
  connectionId: string;
  /** The connection's name as someone typed it: data, never formatting. */
  name?: string;
  /** The office's networks (the connection's RemoteSubnet). */
  localSubnets: string[];
  /** The VPC's networks (the connection's LocalSubnet). */
  remoteSubnets: string[];
  /** One per tunnel, master first. */
  tunnels: PeerTunnel[];
}

/** The formats offered, the first the default. */
export const PEER_FORMATS = ['strongswan', 'generic', 'cisco_ios', 'huawei_vrp', 'fortios', 'junos'] as const;
export type PeerFormat = (typeof PEER_FORMATS)[number];
