/**
 * The on-premises device's configuration in the formats devices accept, each written from one
 * `PeerConfig` by a module of its own. The text holds the pre-shared key: nothing here logs, and
 * an error names the field at fault, never a value of it.
 */
import { type Locale, type Text, text } from '../../i18n/index.js';
import { PeerConfigError } from './check.js';
import { renderGeneric } from './generic.js';
import type { PeerConfig, PeerFormat } from './model.js';
import { renderStrongswan } from './strongswan.js';

export { PeerConfigError } from './check.js';
export * from './model.js';

const LABELS: Record<PeerFormat, Text> = {
  strongswan: text('strongSwan (swanctl.conf)', 'strongSwan（swanctl.conf）'),
  generic: text('All fields, one a line', '全部参数（逐行列出）'),
  cisco_ios: text('Cisco IOS', 'Cisco IOS'),
  huawei_vrp: text('Huawei VRP', '华为 VRP'),
  fortios: text('FortiOS (FortiGate)', 'FortiOS（FortiGate）'),
  junos: text('Junos (SRX)', 'Junos（SRX）'),
};

/** The words for a format in a select. */
export function peerFormatLabel(format: PeerFormat): Text {
  return LABELS[format];
}

const RENDERERS: Record<PeerFormat, (config: PeerConfig, locale: Locale) => string> = {
  strongswan: (config) => renderStrongswan(config),
  generic: renderGeneric,
  cisco_ios: notYetWritten,
  huawei_vrp: notYetWritten,
  fortios: notYetWritten,
  junos: notYetWritten,
};

function notYetWritten(): never {
  throw new PeerConfigError('format', text('This format is not available yet.', '此格式暂不可用。'));
}

/**
 * The configuration as text in `format`; `locale` is the reader's language where the format has
 * words of its own (labels, comments). Throws `PeerConfigError` for a configuration it cannot
 * write safely.
 */
export function renderPeerConfig(format: PeerFormat, config: PeerConfig, locale: Locale): string {
  return RENDERERS[format](config, locale);
}
