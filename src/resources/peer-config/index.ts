/**
 * The on-premises device's configuration in the formats devices accept, each written from one
 * `PeerConfig` by a module of its own. The text holds the pre-shared key: nothing here logs, and
 * an error names the field at fault, never a value of it.
 */
import { type Locale, type Text, text } from '../../i18n/index.js';
import { renderCiscoIos } from './cisco-ios.js';
import { renderFortios } from './fortios.js';
import { renderGeneric } from './generic.js';
import { renderHuaweiVrp } from './huawei-vrp.js';
import { renderJunos } from './junos.js';
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
  cisco_ios: (config) => renderCiscoIos(config),
  huawei_vrp: (config) => renderHuaweiVrp(config),
  fortios: (config) => renderFortios(config),
  junos: (config) => renderJunos(config),
};

/**
 * The configuration as text in `format`; `locale` is the reader's language where the format has
 * words of its own (labels, comments). Throws `PeerConfigError` for a configuration it cannot
 * write safely.
 */
export function renderPeerConfig(format: PeerFormat, config: PeerConfig, locale: Locale): string {
  return RENDERERS[format](config, locale);
}
