/**
 * The playground's configuration of the bot: its own Slack (the fake Web API's URL and token, a
 * signing secret of its own) and, when nobody is named to approve, its two team leads.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { createLogger } from '../../../src/observability/logger.js';
import { PLAYGROUND_APPROVERS, startPlayground } from '../../../src/sandbox/playground/server.js';

const logger = createLogger({ level: 'silent', format: 'json' });

describe('startPlayground', () => {
  it('names its two team leads as approvers when nobody is configured', async () => {
    const playground = await startPlayground(loadConfig({}), logger);
    try {
      expect(playground.config.approval.approvers).toEqual([...PLAYGROUND_APPROVERS]);
      expect(playground.config.slack.mode).toBe('http');
      expect(playground.config.slack.apiUrl).toBe(playground.slack.apiUrl);
    } finally {
      await playground.close();
    }
  });

  it('keeps the approvers an operator configured', async () => {
    for (const env of [{ APPROVERS: 'U0BOSS0001' }, { APPROVER_USERGROUP: 'S0LEADS001' }]) {
      const base = loadConfig(env);
      const playground = await startPlayground(base, logger);
      try {
        expect(playground.config.approval).toEqual(base.approval);
      } finally {
        await playground.close();
      }
    }
  });
});
