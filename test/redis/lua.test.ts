/**
 * Lua scripts as named commands (src/redis/lua.ts), against real Redis: a call's named keys and
 * arguments reach the script in the declared order, whatever order the call lists them in, with
 * the extra keys and arguments after them; the command is defined once per connection.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { luaCommand } from '../../src/redis/index.js';
import { testRedis } from '../support/redis.js';

const t = testRedis('lua');
afterAll(() => t.cleanup());

const echo = luaCommand({
  name: 'testKeysAndArgs',
  file: new URL('../fixtures/lua/keys-and-args.lua', import.meta.url),
  keys: ['first', 'second'],
  args: ['alpha', 'beta', 'gamma'],
  reply: (raw) => raw as [string[], string[]],
});

describe('a Lua command', () => {
  it('is read from its file', () => {
    expect(echo.lua).toContain('return { KEYS, ARGV }');
  });

  it('hands the script its keys and arguments in the declared order, the extra ones after them', async () => {
    const [keys, args] = await echo.run(t.redis, {
      keys: { second: `${t.prefix}:b`, first: `${t.prefix}:a` },
      args: { gamma: '3', alpha: '1', beta: '' },
      moreKeys: [`${t.prefix}:c`],
      moreArgs: ['4', '5'],
    });
    expect(keys).toEqual([`${t.prefix}:a`, `${t.prefix}:b`, `${t.prefix}:c`]);
    expect(args).toEqual(['1', '', '3', '4', '5']);
  });

  it('is defined once on a connection, so a spy on it sees every call', async () => {
    const redis = t.connect();
    expect((redis as unknown as Record<string, unknown>)[echo.name]).toBeUndefined();
    echo.defineOn(redis);
    const spy = vi.spyOn(redis as unknown as Record<string, (...a: unknown[]) => unknown>, echo.name);
    echo.defineOn(redis);
    await echo.run(redis, {
      keys: { first: `${t.prefix}:a`, second: `${t.prefix}:b` },
      args: { alpha: 'x', beta: 'y', gamma: 'z' },
    });
    expect(spy).toHaveBeenCalledWith(2, `${t.prefix}:a`, `${t.prefix}:b`, 'x', 'y', 'z');
  });
});
