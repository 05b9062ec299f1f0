/**
 * A policy rule cannot hold the bot up, over signed HTTP against the real app: the rule
 * `!request.params.Name.matches("^([a-z0-9]+-?)+$")` and a customer gateway name the form accepts
 * (31 letters and "_") that fails the pattern at its last character. A backtracking engine needs
 * time doubling with each character (seconds at 32, the process blocked meanwhile); with RE2 the
 * submission is answered in under 100 ms while /healthz, asked all along, keeps answering.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE, useE2E } from '../support/e2e.js';

const dir = mkdtempSync(join(tmpdir(), 'policy-bounds-'));
const POLICY_FILE = join(dir, 'policy.yml');
const DENIED = 'Gateway names are lowercase words joined by single hyphens.';

beforeAll(async () => {
  writeFileSync(
    POLICY_FILE,
    [
      'rules:',
      '  - name: tidy-names',
      `    when: '!request.params.Name.matches("^([a-z0-9]+-?)+$")'`,
      `    deny: { en: "${DENIED}", zh-CN: "网关名称须为以单个连字符连接的小写单词。" }`,
    ].join('\n'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// Registered after the policy file is written: the bot starts once it is there.
const e = useE2E('e2e-policy-bounds', { env: { POLICY_FILE } });

async function submitName(name: string) {
  const modal = await e.openModal(PEOPLE.requester, 'customer');
  const started = performance.now();
  const answer = await e.submit(PEOPLE.requester, modal, {
    RegionId: { option: 'cn-shanghai' },
    IpAddress: '47.81.0.1',
    Name: name,
  });
  return { answer, ms: performance.now() - started };
}

/** Asks /healthz every 10 ms until `until` settles; resolves with each answer's status and time. */
async function healthAlong(until: Promise<unknown>): Promise<{ status: number; ms: number }[]> {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  const answers: Promise<{ status: number; ms: number }>[] = [];
  while (!done) {
    const asked = performance.now();
    answers.push(
      fetch(`${e.bot.http.url}/healthz`).then((r) => ({ status: r.status, ms: performance.now() - asked })),
    );
    await sleep(10);
  }
  return Promise.all(answers);
}

describe('a pathological pattern in a policy rule', () => {
  it('answers the submission in under 100 ms, refused by the rule, while /healthz keeps answering', async () => {
    // The first submissions pay for what runs once (the modal's code paths, the JIT's first passes).
    for (const warmUp of ['Office_gw', 'Branch_gw']) {
      const { answer } = await submitName(warmUp);
      expect(answer.body).toEqual({ response_action: 'errors', errors: { RegionId: DENIED } });
    }

    // Three names, each failing the pattern at its 32nd character. The fastest answer is held to
    // the bound, so that a machine busy with other work does not decide the test; backtracking
    // takes seconds every time.
    const submitted: number[] = [];
    const health: { status: number; ms: number }[] = [];
    for (const letter of ['a', 'b', 'c']) {
      const name = `${letter.repeat(31)}_`;
      expect(name).toHaveLength(32);
      const submission = submitName(name);
      health.push(...(await healthAlong(submission)));
      const { answer, ms } = await submission;
      expect(answer.body).toEqual({ response_action: 'errors', errors: { RegionId: DENIED } });
      submitted.push(ms);
    }
    expect(Math.min(...submitted)).toBeLessThan(100);

    // /healthz was answered all along: never a failure, typically at once, never after a wait. It
    // is asked at once with each submission and every 10 ms until its answer: once or more each.
    expect(health.every((h) => h.status === 200)).toBe(true);
    const latencies = health.map((h) => h.ms).sort((a, b) => a - b);
    expect(latencies[Math.floor(latencies.length / 2)]).toBeLessThan(100);
    expect(latencies.at(-1)).toBeLessThan(1_000);
  });
});
