/**
 * `/gateway help`: every subcommand, in the asker's language; in the sandbox it begins with the
 * SANDBOX line, as every message and modal of the sandbox does (README, "Sandbox marking").
 */
import { describe, expect, it } from 'vitest';
import { messages } from '../../src/i18n/index.js';
import { helpAnswer } from '../../src/slack/commands.js';

describe('/gateway help', () => {
  it('begins with the SANDBOX line in the sandbox, and has none elsewhere', () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const banner = messages(locale).sandbox;
      const sandboxed = helpAnswer('/gateway', locale, true).text.split('\n');
      expect(sandboxed[0]).toBe(banner);
      expect(sandboxed.filter((l) => l === banner)).toHaveLength(1);
      expect(helpAnswer('/gateway', locale, false).text).not.toContain(banner);
    }
    // Before the "unknown subcommand" line too.
    expect(helpAnswer('/gateway', 'en', true, 'vnp').text.split('\n')[0]).toBe(messages('en').sandbox);
  });
});
