/**
 * The operator commands as operators run them (`npm run audit`, `npm run redrive`), in processes
 * of their own against a request that went through the real workflow: their words, and their exit
 * codes for ids nobody knows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourceRequest } from '../../src/workflow/types.js';
import { runNode } from '../support/processes.js';
import { REDIS_URL, testRedis } from '../support/redis.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { SIM_KEY, startWorkflowHarness } from '../support/workflow.js';

const t = testRedis('tools');
let sim: TestSimulator;
let harness: ReturnType<typeof startWorkflowHarness>;
let request: ResourceRequest;
const env = () => ({ REDIS_URL, REDIS_PREFIX: t.prefix });

async function tool(script: 'audit' | 'operate', args: string[]) {
  const p = runNode(`src/tools/${script}.ts`, env(), args);
  const { code } = await p.exited;
  return { code, output: p.output() };
}

beforeAll(async () => {
  sim = await startTestSimulator(SIM_KEY);
  harness = startWorkflowHarness({ redis: t.redis, prefix: t.prefix, sim });
  const submitted = await harness.submitCustomer('47.74.0.1', 'U0ASKER');
  await harness.waitFor(submitted.id, (r) => r.preflight !== undefined && r.messageTs !== undefined);
  // Someone who may not approve tries; a lead approves; another lead's reject comes too late.
  await harness.workflow.approve(submitted.id, { userId: 'U0GUEST', name: 'sam' });
  expect((await harness.workflow.approve(submitted.id, { userId: 'U0LEAD1', name: 'lee' })).ok).toBe(true);
  expect(
    (await harness.workflow.reject(submitted.id, { userId: 'U0LEAD2', name: 'lin' }, 'too big')).ok,
  ).toBe(false);
  request = await harness.waitFor(submitted.id, (r) => r.state === 'succeeded');
}, 60_000);
afterAll(async () => {
  await harness?.close();
  await sim?.close();
  await t.cleanup();
});

describe('npm run audit', () => {
  it('tells the story in plain words: who did what, what was refused and why', async () => {
    const { code, output } = await tool('audit', [request.id]);
    expect(code).toBe(0);
    const lines = output.trim().split('\n');
    const line = (pattern: RegExp) => {
      const found = lines.find((l) => pattern.test(l));
      expect(found, `a line matching ${pattern} in:\n${output}`).toBeDefined();
      return found as string;
    };

    // The preflight ran at submission: the approver saw its outcome with the request.
    expect(line(/asked for a customer gateway/)).toMatch(
      /asked for a customer gateway; checked first: ip_unique pass, quota pass.*\[pending_approval\]/,
    );
    expect(output).not.toContain('system:');

    const outsider = line(/U0GUEST/);
    expect(outsider).toContain('refused: approve, because they are not an approver; nothing changed');
    expect(line(/^\S+ \S+ +lee \(U0LEAD1\)/)).toMatch(
      /approved \(1 of 1 approval needed\) +\[pending_approval → approved\]/,
    );
    // A reject that came after the approval reads as refused, never like a done rejection.
    const late = line(/U0LEAD2/);
    expect(late).toMatch(
      /refused: reject, because the request was no longer waiting for approval \(it was already approved\b/,
    );
    expect(late).not.toContain('→');

    expect(line(/provisioning worker +created cgw-/)).toContain('[creating → succeeded]');
    expect(line(/Slack notifier +posted the request in the Slack channel/)).toBeDefined();
  }, 30_000);

  it('exits 1 for an id it does not know', async () => {
    const { code, output } = await tool('audit', ['gw-20990101-unknown0000']);
    expect(code).toBe(1);
    expect(output).toContain('No request or resource gw-20990101-unknown0000');
  }, 30_000);
});

describe('npm run redrive', () => {
  it('exits 1 for an id it does not know, and changes nothing', async () => {
    const { code, output } = await tool('operate', ['redrive', 'gw-20990101-unknown0000']);
    expect(code).toBe(1);
    expect(output).toContain('No request or resource gw-20990101-unknown0000');
    // No job, record or audit event was made for it.
    expect(await t.redis.keys(`${t.prefix}*unknown0000*`)).toEqual([]);
  }, 30_000);

  it('drives on a request found by the id of what it created, and exits 0', async () => {
    const resourceId = request.cloud.resourceId as string;
    const { code, output } = await tool('operate', ['redrive', resourceId]);
    expect(code).toBe(0);
    expect(output).toContain(`${request.id} has succeeded; its final message was re-announced`);
  }, 30_000);
});
