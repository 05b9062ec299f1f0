/**
 * The simulator for tests, with a conformance check on every request it receives: each parameter
 * sent must exist in Alibaba's official metadata for the action (`../shared/specs/aliyun-vpc/`),
 * and each parameter the metadata marks required must be present. Call `expectConformance()` in
 * `afterEach`/`afterAll`. Without the specs folder the check is skipped, and says so once.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { COMMON_PARAMS } from '../../src/simulator/actions.js';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '../../src/simulator/index.js';
import type { RequestRecord } from '../../src/simulator/state.js';

export const SPECS_DIR = path.resolve(process.cwd(), '../shared/specs/aliyun-vpc');
export const specsPresent = existsSync(SPECS_DIR);
let warned = false;

interface ActionSpec {
  parameters: { name: string; type: string; required: boolean }[];
}
const cache = new Map<string, ActionSpec | undefined>();

export function actionSpec(action: string): ActionSpec | undefined {
  if (!cache.has(action)) {
    const file = path.join(SPECS_DIR, `${action}.json`);
    cache.set(action, existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ActionSpec) : undefined);
  }
  return cache.get(action);
}

/** Problems with one request against the official metadata (empty when it conforms). */
export function conformanceProblems(record: Pick<RequestRecord, 'action' | 'params'>): string[] {
  const spec = actionSpec(record.action);
  if (!spec) return [`${record.action}: no official metadata for this action`];
  const problems: string[] = [];
  const names = new Set(spec.parameters.map((p) => p.name));
  for (const sent of Object.keys(record.params)) {
    if (COMMON_PARAMS.has(sent)) continue;
    const base = sent.split('.')[0] as string; // Tag.1.Key → Tag (RepeatList)
    if (!names.has(sent) && !names.has(base)) problems.push(`${record.action}: unknown parameter ${sent}`);
  }
  for (const p of spec.parameters) {
    if (p.required && record.params[p.name] === undefined)
      problems.push(`${record.action}: missing required ${p.name}`);
  }
  return problems;
}

export interface TestSimulator extends RunningSimulator {
  violations(): string[];
  expectConformance(): void;
}

export async function startTestSimulator(options: SimulatorOptions = {}): Promise<TestSimulator> {
  const violations: string[] = [];
  if (!specsPresent && !warned) {
    warned = true;
    console.warn(`conformance checks skipped: Alibaba's metadata is not at ${SPECS_DIR}`);
  }
  const sim = await startSimulator({
    ...options,
    onRequest: (record) => {
      if (specsPresent) violations.push(...conformanceProblems(record));
      options.onRequest?.(record);
    },
  });
  return Object.assign(sim, {
    violations: () => [...violations],
    expectConformance: () => expect(violations).toEqual([]),
  });
}
