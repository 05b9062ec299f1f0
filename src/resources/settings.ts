/**
 * Settings a resource type declares, and how they are read: a whole number in a range (a quota),
 * a list of positive whole numbers (bandwidths), a list of region ids (or `none`). The
 * configuration reads every declared setting from the environment at start (src/config), each
 * problem naming the variable and an example; a declaration reads a value back with `settingOf`.
 */
import type { ResourceOptions, Setting } from './spec.js';

/** The value of a setting in force: the one configured, or the setting's default. */
export function settingOf<T>(options: ResourceOptions, setting: Setting<T>): T {
  const set = options.settings;
  return set !== undefined && Object.hasOwn(set, setting.variable)
    ? (set[setting.variable] as T)
    : setting.default;
}

/** A whole number from `min` to `max` (a quota). */
export function integerSetting(
  variable: string,
  o: { default: number; min: number; max: number },
): Setting<number> {
  return {
    variable,
    default: o.default,
    parse(text) {
      const n = Number(text);
      return /^\d+$/.test(text) && n >= o.min && n <= o.max
        ? { ok: true, value: n }
        : {
            ok: false,
            problem: `${variable} must be a whole number from ${o.min} to ${o.max} (got "${text}")`,
          };
    },
  };
}

/** Positive whole numbers, comma-separated, kept once each and in order (bandwidths). */
export function integerListSetting<D extends readonly number[] | undefined>(
  variable: string,
  o: { default: D; example: readonly number[] },
): Setting<readonly number[] | D> {
  return {
    variable,
    default: o.default,
    parse(text) {
      const parts = text.split(',').map((p) => p.trim());
      const numbers = parts.map(Number);
      if (parts.some((p) => !/^\d+$/.test(p)) || numbers.some((n) => n <= 0))
        return {
          ok: false,
          problem: `${variable} must be a comma-separated list of positive whole numbers, such as ${o.example.join(',')} (got "${text}")`,
        };
      return { ok: true, value: [...new Set(numbers)].sort((a, b) => a - b) };
    },
  };
}

const REGION_ID = /^[a-z]{2,}-[a-z0-9-]{2,40}$/;

/** Region ids, comma-separated; `none` for no region at all. */
export function regionListSetting(
  variable: string,
  o: { default: readonly string[] },
): Setting<readonly string[]> {
  return {
    variable,
    default: o.default,
    parse(text) {
      if (text.toLowerCase() === 'none') return { ok: true, value: [] };
      const ids = text
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean);
      const bad = ids.filter((id) => !REGION_ID.test(id));
      if (bad.length > 0)
        return {
          ok: false,
          problem: `${variable} must be region ids such as ${o.default.slice(0, 2).join(',') || 'cn-hangzhou,ap-southeast-1'}, comma-separated (not region ids: ${bad.join(', ')}); set it to "none" for no region`,
        };
      return { ok: true, value: [...new Set(ids)] };
    },
  };
}
