/**
 * An operator tool writes everything before it exits, whatever reads its output: `npm run audit`
 * over a trail of 2,500 events (several times what a pipe holds), its stdout read slowly, a
 * chunk and then a pause, as a pager or a busy `wc -l` reads, gives every line in order, in the
 * text and in the JSON form, with its exit code, in each of 20 runs (the loss it guards against
 * showed in three runs of four).
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAuditEvent, formatRequest, peopleOf } from '../../src/tools/audit-format.js';
import type { AuditEvent, ResourceRequest } from '../../src/workflow/types.js';
import { nodeArgsFor } from '../support/processes.js';
import { REDIS_URL, testRedis } from '../support/redis.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { SIM_KEY, startWorkflowHarness } from '../support/workflow.js';

const t = testRedis('tools-output');
/** Refused clicks, by as many people: each is one event in the trail. */
const REFUSALS = 2_500;
/** What Linux holds in a pipe, and what the reading side of a Node stream reads ahead. */
const PIPE_AND_READ_AHEAD = 64 * 1024 + 64 * 1024;

let sim: TestSimulator;
let request: ResourceRequest;
let trail: AuditEvent[];

beforeAll(async () => {
  sim = await startTestSimulator(SIM_KEY);
  const harness = startWorkflowHarness({ redis: t.redis, prefix: t.prefix, sim });
  try {
    const submitted = await harness.submitCustomer('47.74.0.9', 'U0ASKER');
    await harness.waitFor(submitted.id, (r) => r.preflight !== undefined && r.messageTs !== undefined);
    // People who may not approve click Approve on the request's message, each once (a person's
    // repeated clicks would make one counted event).
    const origin = { channelId: 'C0NET', messageTs: '1765000000.000100' };
    await Promise.all(
      Array.from({ length: REFUSALS }, (_, i) =>
        harness.workflow.approve(submitted.id, { userId: `U0GUEST${i}`, name: `guest${i}` }, origin),
      ),
    );
    request = await harness.store.mustGet(submitted.id);
    trail = await harness.store.auditTrail(submitted.id);
  } finally {
    // Nothing changes the record while the tool reads it.
    await harness.close();
  }
}, 60_000);
afterAll(async () => {
  await sim?.close();
  await t.cleanup();
});

/** Runs the audit tool and reads its stdout a chunk at a time, pausing after each. */
async function auditReadSlowly(args: string[]): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, [...nodeArgsFor('src/tools/audit.ts'), ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      REDIS_URL,
      REDIS_PREFIX: t.prefix,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stdout = '';
  child.stdout.setEncoding('utf8');
  for await (const chunk of child.stdout as AsyncIterable<string>) {
    stdout += chunk;
    // About a megabyte a second: far slower than the tool writes.
    await sleep(Math.ceil(chunk.length / 1024));
  }
  return { code: await exited, stdout };
}

describe('an operator tool read through a slow pipe', () => {
  it('writes every line of a long audit trail, in the text and the JSON form, and exits 0', async () => {
    const people = peopleOf(request);
    const text = `${[formatRequest(request), '', ...trail.map((e) => formatAuditEvent(e, { people }))].join('\n')}\n`;
    const json = `${[{ request }, ...trail].map((x) => JSON.stringify(x)).join('\n')}\n`;
    // The premise: far more than the pipe and the reader's read-ahead hold together.
    expect(trail.length).toBeGreaterThan(REFUSALS);
    expect(Buffer.byteLength(text)).toBeGreaterThan(2 * PIPE_AND_READ_AHEAD);
    expect(Buffer.byteLength(json)).toBeGreaterThan(2 * PIPE_AND_READ_AHEAD);

    const RUNS = 20;
    const forms = Array.from({ length: RUNS }, (_, i) => (i % 2 === 0 ? 'text' : 'json'));
    const outcomes: string[] = [];
    // Four at a time: the machine stays busy, as it was when the loss showed.
    for (let i = 0; i < RUNS; i += 4) {
      const batch = forms.slice(i, i + 4);
      const runs = await Promise.all(
        batch.map((form) => auditReadSlowly(form === 'json' ? [request.id, '--json'] : [request.id])),
      );
      runs.forEach((run, j) => {
        const expected = batch[j] === 'json' ? json : text;
        const complete = run.stdout === expected && run.code === 0;
        outcomes.push(
          complete
            ? 'complete'
            : `${batch[j]}: ${run.stdout.split('\n').length} of ${expected.split('\n').length} lines, exit ${run.code}`,
        );
      });
    }
    expect(outcomes).toEqual(Array.from({ length: RUNS }, () => 'complete'));
  }, 90_000);
});
