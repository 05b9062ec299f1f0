import type { Socket } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../src/sandbox/fake-slack/index.js';
import { interactionPayload, logRefusals, signatureMatches } from '../../src/slack/gate.js';

describe('logging refused Slack requests', () => {
  it('logs the first refusal of each kind, then one line per interval with how many more there were', () => {
    const lines: Record<string, unknown>[] = [];
    let now = 0;
    const log = logRefusals(
      { warn: (fields: Record<string, unknown>) => lines.push(fields) } as never,
      10_000,
      () => now,
    );
    const req = { socket: { remoteAddress: '192.0.2.1' } as Socket };
    for (let i = 0; i < 50; i++) log({ status: 401, reason: 'unsigned' }, req);
    log({ status: 401, reason: 'signature mismatch' }, req);
    for (let i = 0; i < 20; i++) log({ status: 400, reason: `field${i}: unexpected shape` }, req);
    expect(lines).toEqual([
      { status: 401, reason: 'unsigned', remote: '192.0.2.1' },
      { status: 401, reason: 'signature mismatch', remote: '192.0.2.1' },
      { status: 400, reason: 'field0: unexpected shape', remote: '192.0.2.1' },
    ]);
    now = 10_000;
    log({ status: 401, reason: 'unsigned' }, req);
    expect(lines.at(-1)).toEqual({
      status: 401,
      reason: 'unsigned',
      remote: '192.0.2.1',
      alsoRefusedSinceLastLine: 49,
    });
  });
});

describe("the gate's signature check", () => {
  const body = Buffer.from('command=%2Fgateway&text=help');
  const headers = signSlackRequest('secret', body.toString(), 1_700_000_000);
  const signature = headers['x-slack-signature'];

  it('accepts what Slack signs and nothing else', () => {
    expect(signatureMatches('secret', '1700000000', body, signature)).toBe(true);
    expect(signatureMatches('other', '1700000000', body, signature)).toBe(false);
    expect(signatureMatches('secret', '1700000001', body, signature)).toBe(false);
    expect(signatureMatches('secret', '1700000000', Buffer.from(`${body}&x=1`), signature)).toBe(false);
    expect(signatureMatches('secret', '1700000000', body, signature.slice(0, -2))).toBe(false);
    expect(signatureMatches('secret', '1700000000', body, '')).toBe(false);
  });
});

describe("an interaction's payload", () => {
  it('decodes as querystring does, whatever the JSON holds', () => {
    fc.assert(
      fc.property(fc.json(), fc.string({ unit: 'grapheme' }), (json, text) => {
        for (const payload of [json, JSON.stringify({ text })]) {
          const raw = new URLSearchParams({ payload }).toString();
          expect(interactionPayload(raw)).toBe(payload);
          expect(parseQuery(raw).payload).toBe(payload);
        }
      }),
    );
  });

  it('leaves every other form, and escapes that do not decode, to querystring', () => {
    expect(interactionPayload('command=%2Fgateway&text=help')).toBeUndefined();
    expect(interactionPayload('payload=%7B%7D&extra=1')).toBeUndefined();
    expect(interactionPayload('payload=%E0%A4%A')).toBeUndefined();
    expect(interactionPayload('payload=a+b%2Bc%26d')).toBe('a b+c&d');
  });
});
