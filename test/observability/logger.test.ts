/**
 * What a log line may carry: no configured secret anywhere in it, and no value of a secret-named
 * field at any depth, whatever the value and however it is escaped.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { redactSecretFields } from '../../src/observability/redact.js';

function capture(secrets: string[] = []) {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'info',
    secrets,
    destination: new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  });
  return { logger, lines };
}

describe('log lines', () => {
  it('censor secret-named fields at any depth, and keep everything else', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        token: 'xoxb-top-level',
        slack: { botToken: 'xoxb-nested', appToken: 'xapp-nested', team: 'T0GATEWAY' },
        cloud: { credentials: { accessKeySecret: 'k"ey\\zq9"quoted', securityToken: 'sts-deep' } },
        redis: { password: 12345 },
        headers: { Authorization: 'Bearer xoxb-header', 'X-Slack-Signature': 'v0=abc', host: 'slack.com' },
        requestId: 'gw-20260101-0000000001',
      },
      'a line with secrets in it',
    );
    const line = lines.join('');
    for (const secret of [
      'xoxb-top-level',
      'xoxb-nested',
      'xapp-nested',
      'zq9',
      'quoted',
      'sts-deep',
      'xoxb-header',
      'v0=abc',
    ])
      expect(line).not.toContain(secret);
    const parsed = JSON.parse(line) as {
      token: string;
      slack: object;
      cloud: { credentials: { accessKeySecret: string } };
      redis: { password: unknown };
      headers: object;
      requestId: string;
      msg: string;
    };
    expect(parsed.token).toBe('[REDACTED]');
    expect(parsed.slack).toEqual({ botToken: '[REDACTED]', appToken: '[REDACTED]', team: 'T0GATEWAY' });
    expect(parsed.cloud.credentials.accessKeySecret).toBe('[REDACTED]');
    expect(parsed.redis.password).toBe('[REDACTED]');
    expect(parsed.headers).toEqual({
      Authorization: '[REDACTED]',
      'X-Slack-Signature': '[REDACTED]',
      host: 'slack.com',
    });
    expect(parsed.requestId).toBe('gw-20260101-0000000001');
    expect(parsed.msg).toBe('a line with secrets in it');
  });

  it('lose every configured secret, wherever it slipped in', () => {
    const { logger, lines } = capture(['sekret-value-1234']);
    logger.warn({ err: new Error('call failed with sekret-value-1234') }, 'note: sekret-value-1234');
    expect(lines.join('')).not.toContain('sekret-value-1234');
    expect(lines.join('')).toContain('[REDACTED]');
  });

  it('leave a field that only contains a secret word in its name alone', () => {
    const line = '{"tokenCount":3,"passwordless":true,"note":"token"}';
    expect(redactSecretFields(line)).toBe(line);
  });
});
