/**
 * The IKE (phase 1) and IPsec (phase 2) settings of an IPsec-VPN connection: read from the
 * single-tunnel JSON strings (`IkeConfig`, `IpsecConfig`) or from a dual-tunnel entry's flat keys
 * (`TunnelOptionsSpecification.N.TunnelIkeConfig.IkeVersion`), checked against the values
 * CreateVpnConnection documents, and completed with Alibaba's defaults. Without a `Psk` Alibaba
 * generates a 16-character key; so does this, one per tunnel.
 *
 * Alibaba does not say what it does with a setting it does not know; the simulator refuses it, so
 * that a misspelt option cannot silently become the default. Error messages never quote a key.
 */
import { randomInt } from 'node:crypto';
import { SimError } from '../errors.js';
import type { SimIkeConfig, SimIpsecConfig } from '../state.js';
import type { Params } from './common.js';

interface Rule {
  test: (value: string) => boolean;
  /** What a valid value is, for the message. */
  says: string;
}

const oneOf = (...values: string[]): Rule => ({
  test: (v) => values.includes(v),
  says: `must be one of ${values.join(', ')}`,
});
const LIFETIME: Rule = {
  test: (v) => /^\d{1,5}$/.test(v) && Number(v) <= 86_400,
  says: 'must be a number of seconds from 0 to 86400',
};
const IDENTIFIER: Rule = {
  test: (v) => /^\S{1,100}$/.test(v),
  says: 'must be 1 to 100 characters without spaces',
};
const PSK: Rule = {
  test: (v) => /^[A-Za-z0-9~!`@#$%^&*()_\-+={}[\]|;:',.<>/?]{1,100}$/.test(v),
  says: "must be 1 to 100 characters: letters, digits and ~!`@#$%^&*()_-+={}[]|;:',.<>/? (no spaces)",
};
const ENCRYPTION = ['aes', 'aes192', 'aes256', 'des', '3des'];
const AUTHENTICATION = ['md5', 'sha1', 'sha256', 'sha384', 'sha512'];

const IKE_RULES: Readonly<Record<string, Rule>> = {
  IkeVersion: oneOf('ikev1', 'ikev2'),
  IkeMode: oneOf('main', 'aggressive'),
  IkeEncAlg: oneOf(...ENCRYPTION),
  IkeAuthAlg: oneOf(...AUTHENTICATION),
  IkePfs: oneOf('group1', 'group2', 'group5', 'group14'),
  IkeLifetime: LIFETIME,
  LocalId: IDENTIFIER,
  RemoteId: IDENTIFIER,
  Psk: PSK,
};
const IPSEC_RULES: Readonly<Record<string, Rule>> = {
  IpsecEncAlg: oneOf(...ENCRYPTION),
  IpsecAuthAlg: oneOf(...AUTHENTICATION),
  IpsecPfs: oneOf('disabled', 'group1', 'group2', 'group5', 'group14'),
  IpsecLifetime: LIFETIME,
};
/** A dual-tunnel entry's BGP settings; kept as given (the simulator runs no BGP). */
const TUNNEL_BGP_RULES: Readonly<Record<string, Rule>> = {
  LocalAsn: { test: (v) => /^\d{1,10}(\.\d{1,5})?$/.test(v), says: 'must be an ASN such as 65530' },
  LocalBgpIp: IDENTIFIER,
  TunnelCidr: IDENTIFIER,
};

/** Alibaba's documented defaults. */
export const IKE_DEFAULTS = {
  IkeVersion: 'ikev1',
  IkeMode: 'main',
  IkeEncAlg: 'aes',
  IkeAuthAlg: 'md5',
  IkePfs: 'group2',
  IkeLifetime: 86_400,
} as const;
export const IPSEC_DEFAULTS = {
  IpsecEncAlg: 'aes',
  IpsecAuthAlg: 'md5',
  IpsecPfs: 'group2',
  IpsecLifetime: 86_400,
} as const;

const PSK_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const GENERATED_PSK_LENGTH = 16;

/** A key as Alibaba generates one when none is given: 16 letters and digits, from a CSPRNG. */
export function generatePsk(): string {
  let key = '';
  for (let i = 0; i < GENERATED_PSK_LENGTH; i++) key += PSK_ALPHABET[randomInt(PSK_ALPHABET.length)];
  return key;
}

type Raw = Readonly<Record<string, unknown>>;

/** Checks every setting against its rule; `where` names the setting in messages (e.g. `IkeConfig`). */
function checked(raw: Raw, rules: Readonly<Record<string, Rule>>, where: string, code: string) {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
    if (!rule)
      throw new SimError(
        code,
        400,
        `${where}.${key} is not a setting; known: ${Object.keys(rules).join(', ')}.`,
      );
    const text = typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
    if (text === undefined || !rule.test(text))
      throw new SimError(code, 400, `${where}.${key} ${rule.says}.`);
    out[key] = text;
  }
  return out;
}

/** A JSON-object parameter (`IkeConfig`, `BgpConfig`…), or undefined when not sent. */
export function jsonParam(p: Params, name: string): Raw | undefined {
  const text = p[name];
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new SimError(`Invalid${name}`, 400, `${name} must be a JSON object such as {"Name":"value"}.`);
  return value as Raw;
}

/** The parameters under `prefix.` (a dual-tunnel entry's nested object, sent flat), by their rest. */
export function flatParam(p: Params, prefix: string): Raw {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(p))
    if (key.startsWith(`${prefix}.`)) out[key.slice(prefix.length + 1)] = value;
  return out;
}

/** Phase 1 settings with defaults; `LocalId`/`RemoteId` default to the two public addresses. */
export function ikeConfig(
  raw: Raw,
  where: string,
  code: string,
  ids: { LocalId: string; RemoteId: string },
): SimIkeConfig {
  const given = checked(raw, IKE_RULES, where, code);
  return {
    IkeVersion: given.IkeVersion ?? IKE_DEFAULTS.IkeVersion,
    IkeMode: given.IkeMode ?? IKE_DEFAULTS.IkeMode,
    IkeEncAlg: given.IkeEncAlg ?? IKE_DEFAULTS.IkeEncAlg,
    IkeAuthAlg: given.IkeAuthAlg ?? IKE_DEFAULTS.IkeAuthAlg,
    IkePfs: given.IkePfs ?? IKE_DEFAULTS.IkePfs,
    IkeLifetime: given.IkeLifetime !== undefined ? Number(given.IkeLifetime) : IKE_DEFAULTS.IkeLifetime,
    LocalId: given.LocalId ?? ids.LocalId,
    RemoteId: given.RemoteId ?? ids.RemoteId,
    Psk: given.Psk ?? generatePsk(),
  };
}

/** Phase 2 settings with defaults. */
export function ipsecConfig(raw: Raw, where: string, code: string): SimIpsecConfig {
  const given = checked(raw, IPSEC_RULES, where, code);
  return {
    IpsecEncAlg: given.IpsecEncAlg ?? IPSEC_DEFAULTS.IpsecEncAlg,
    IpsecAuthAlg: given.IpsecAuthAlg ?? IPSEC_DEFAULTS.IpsecAuthAlg,
    IpsecPfs: given.IpsecPfs ?? IPSEC_DEFAULTS.IpsecPfs,
    IpsecLifetime:
      given.IpsecLifetime !== undefined ? Number(given.IpsecLifetime) : IPSEC_DEFAULTS.IpsecLifetime,
  };
}

/** A dual-tunnel entry's BGP settings, checked and kept as given. */
export function tunnelBgp(raw: Raw, where: string, code: string): Record<string, string> {
  return checked(raw, TUNNEL_BGP_RULES, where, code);
}
