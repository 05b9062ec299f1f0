import type { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { UserLocales } from '../../src/slack/user-locale.js';

/** A users.info that answers each person's locale from a table, counting the lookups. */
function slackWith(locales: Record<string, string>) {
  const asked: string[] = [];
  const client = {
    users: {
      info: async ({ user }: { user: string }) => {
        asked.push(user);
        return { ok: true, user: { id: user, locale: locales[user] ?? 'en-US' } };
      },
    },
  } as unknown as WebClient;
  return { client, asked };
}

describe('the language of each person', () => {
  it('is looked up once an hour, and Slack asked again after', async () => {
    let now = 0;
    const { client, asked } = slackWith({ U0ZH: 'zh-CN' });
    const locales = new UserLocales(client, 'en', () => now);
    expect(await locales.of('U0ZH')).toBe('zh-CN');
    expect(await locales.of('U0ZH')).toBe('zh-CN');
    expect(asked).toEqual(['U0ZH']);
    now += 3_600_001;
    expect(await locales.of('U0ZH')).toBe('zh-CN');
    expect(asked).toEqual(['U0ZH', 'U0ZH']);
  });

  it('keeps at most so many people, dropping those kept longest', async () => {
    const { client, asked } = slackWith({ U0ZH: 'zh-CN' });
    const locales = new UserLocales(client, 'en', () => 0, 3);
    await locales.of('U0ZH');
    for (const person of ['U1', 'U2', 'U3', 'U4']) await locales.of(person);
    expect(locales.size).toBe(3);
    // The first was dropped: asked again; the last three are still kept.
    asked.length = 0;
    expect(await locales.of('U0ZH')).toBe('zh-CN');
    await locales.of('U4');
    expect(asked).toEqual(['U0ZH']);
    expect(locales.size).toBe(3);
  });
});
