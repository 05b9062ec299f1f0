/**
 * Injected faults, configured as `SIMULATOR_FAULTS`, e.g.
 * `Throttling.User=0.2,ServiceUnavailable=0.05,latency=300ms,nonjson=0.05,CreateCustomerGateway:Forbidden=1`.
 *
 * Grammar (entries separated by commas, spaces around them ignored):
 *
 *   entry   = "latency=" duration          delay before every answer (`300ms`, `2s`, `1m`)
 *           | "seed=" digits               seeded draws: the same run gives the same faults
 *           | [Action ":"] Name "=" p      with probability p (0 to 1), for every action or one
 *   Name    = an error code                answered before the action runs, so the call has no
 *                                          effect: Throttling* 400, ServiceUnavailable 503,
 *                                          InternalError* 500, Forbidden* / Forbbiden* (sic) 403,
 *                                          *.NotFound 404, any other code 400
 *           | "nonjson"                    an HTML 502 page, as a proxy in front of the API sends
 *           | "lost"                       the action RUNS, then the connection is destroyed: the
 *                                          client sees a reset socket and never learns the result
 *                                          (a crash or timeout after a create)
 *
 * Rules are tried in order and each applicable rule draws once per call; the first hit wins.
 * Faults apply after the gateway checks (signature, timestamp, nonce), to calls of known actions.
 */
import { parseDuration } from '../../units/duration.js';

export interface FaultRule {
  action?: string;
  name: string;
  probability: number;
}

export interface FaultConfig {
  rules: FaultRule[];
  latencyMs: number;
  seed?: number;
}

export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'error'; code: string; status: number }
  | { kind: 'nonjson' }
  | { kind: 'lost' };

export const NO_FAULTS: FaultConfig = { rules: [], latencyMs: 0 };

/** A fault name (an error code, `nonjson` or `lost`) and an action name. */
const NAME = /^[A-Za-z][A-Za-z0-9.]*$/;
const ACTION = /^[A-Z][A-Za-z]+$/;

export function statusForCode(code: string): number {
  if (code.startsWith('Forbidden') || code.startsWith('Forbbiden')) return 403;
  if (code === 'ServiceUnavailable') return 503;
  if (code.startsWith('InternalError')) return 500;
  if (code.endsWith('.NotFound')) return 404;
  return 400;
}

/** Parses the fault string; throws an Error listing every malformed entry. */
export function parseFaults(text: string | undefined): FaultConfig {
  const config: FaultConfig = { rules: [], latencyMs: 0 };
  if (!text?.trim()) return config;
  const problems: string[] = [];
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const eq = entry.indexOf('=');
    if (eq <= 0) {
      problems.push(`"${entry}" is not Name=value`);
      continue;
    }
    const key = entry.slice(0, eq).trim();
    const value = entry.slice(eq + 1).trim();
    if (key === 'latency') {
      const ms = parseDuration(value);
      if (ms === undefined) problems.push(`latency "${value}" is not a duration such as 300ms`);
      else config.latencyMs = ms;
      continue;
    }
    if (key === 'seed') {
      if (!/^\d+$/.test(value)) problems.push(`seed "${value}" is not a whole number`);
      else config.seed = Number(value);
      continue;
    }
    const probability = Number(value);
    if (!/^\d*\.?\d+$/.test(value) || probability < 0 || probability > 1) {
      problems.push(`"${entry}": the probability must be a number from 0 to 1`);
      continue;
    }
    const colon = key.indexOf(':');
    const action = colon > 0 ? key.slice(0, colon) : undefined;
    const name = colon > 0 ? key.slice(colon + 1) : key;
    if (!NAME.test(name) || (action !== undefined && !ACTION.test(action))) {
      problems.push(`"${key}" is not an error code, nonjson or lost (optionally Action:Name)`);
      continue;
    }
    config.rules.push({ ...(action ? { action } : {}), name, probability });
  }
  if (problems.length > 0) throw new Error(`SIMULATOR_FAULTS is invalid: ${problems.join('; ')}`);
  return config;
}

/**
 * A fault configuration received as JSON (`POST /_simulator/faults`): either the structured shape
 * (`{ rules: [{ action?, name, probability }], latencyMs, seed? }`) or a string in the
 * SIMULATOR_FAULTS grammar. Throws an Error listing every problem.
 */
export function faultConfigFromJson(body: unknown): FaultConfig {
  if (typeof body === 'string') return parseFaults(body);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new Error('faults must be an object { rules, latencyMs, seed? } or a SIMULATOR_FAULTS string');
  const { rules = [], latencyMs = 0, seed } = body as Record<string, unknown>;
  const problems: string[] = [];
  const config: FaultConfig = { rules: [], latencyMs: 0 };
  if (typeof latencyMs !== 'number' || !Number.isFinite(latencyMs) || latencyMs < 0)
    problems.push('latencyMs must be a number of milliseconds, 0 or more');
  else config.latencyMs = latencyMs;
  if (seed !== undefined) {
    if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0)
      problems.push('seed must be a whole number');
    else config.seed = seed;
  }
  if (!Array.isArray(rules)) problems.push('rules must be an array');
  else
    rules.forEach((rule: unknown, i) => {
      const r = (typeof rule === 'object' && rule !== null ? rule : {}) as Record<string, unknown>;
      const { action, name, probability } = r;
      if (typeof name !== 'string' || !NAME.test(name))
        problems.push(`rules[${i}].name must be an error code`);
      else if (action !== undefined && (typeof action !== 'string' || !ACTION.test(action)))
        problems.push(`rules[${i}].action must be an action name`);
      else if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1))
        problems.push(`rules[${i}].probability must be a number from 0 to 1`);
      else config.rules.push({ ...(typeof action === 'string' ? { action } : {}), name, probability });
    });
  if (problems.length > 0) throw new Error(`faults are invalid: ${problems.join('; ')}`);
  return config;
}

/** mulberry32: a tiny seeded PRNG, so a seeded fault run is the same every time. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private random: () => number;
  constructor(private config: FaultConfig = NO_FAULTS) {
    this.random = config.seed === undefined ? Math.random : seededRandom(config.seed);
  }

  set(config: FaultConfig): void {
    this.config = config;
    this.random = config.seed === undefined ? Math.random : seededRandom(config.seed);
  }

  get latencyMs(): number {
    return this.config.latencyMs;
  }

  get current(): FaultConfig {
    return this.config;
  }

  decide(action: string): FaultDecision {
    for (const rule of this.config.rules) {
      if (rule.action !== undefined && rule.action !== action) continue;
      if (rule.probability <= 0 || this.random() >= rule.probability) continue;
      if (rule.name === 'nonjson') return { kind: 'nonjson' };
      if (rule.name === 'lost') return { kind: 'lost' };
      return { kind: 'error', code: rule.name, status: statusForCode(rule.name) };
    }
    return { kind: 'none' };
  }
}
