/**
 * Lua scripts as named commands. Each script is a `.lua` file beside the module that runs it (as
 * BullMQ keeps its own), read once when that module loads and defined on a connection with
 * ioredis's `defineCommand`, which sends EVALSHA and falls back to EVAL after a Redis restart.
 * A call names its keys and arguments; the declaration lists them once, in the order the script
 * reads KEYS and ARGV, and this module turns the one into the other. Every key is passed in KEYS,
 * so Redis Cluster routes the call by them (they must share one hash tag).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RedisClient } from './client.js';

export interface LuaCommandSpec<K extends string, A extends string, R> {
  /** The command's name on a connection. */
  name: string;
  /** The script: a `.lua` file beside the module, `new URL('./lua/name.lua', import.meta.url)`. */
  file: URL;
  /** The named keys, in the order the script reads them from KEYS. */
  keys: readonly K[];
  /** The named arguments, in the order the script reads them from ARGV. */
  args: readonly A[];
  /** What the script answers, as the caller reads it. */
  reply: (raw: unknown) => R;
}

export interface LuaCall<K extends string, A extends string> {
  keys: Readonly<Record<K, string>>;
  args: Readonly<Record<A, string>>;
  /** Keys after the named ones (a request's claims, the records of a batch). @defaultValue none */
  moreKeys?: readonly string[];
  /** Arguments after the named ones (the events of a batch). @defaultValue none */
  moreArgs?: readonly string[];
}

export interface LuaCommand<K extends string, A extends string, R> {
  readonly name: string;
  /** The script's text. */
  readonly lua: string;
  /** Defines the command on a connection, unless it is there already. */
  defineOn(redis: RedisClient): void;
  /** Runs the command (defining it first if needed) with KEYS and ARGV in the declared order. */
  run(redis: RedisClient, call: LuaCall<K, A>): Promise<R>;
}

type ScriptFunction = (numberOfKeys: number, ...keysAndArgs: string[]) => Promise<unknown>;

/** The command as the connection holds it, looked up at each call. */
function commandOn(redis: RedisClient, name: string): ScriptFunction | undefined {
  const found = (redis as unknown as Record<string, unknown>)[name];
  return typeof found === 'function' ? (found as ScriptFunction) : undefined;
}

export function luaCommand<K extends string, A extends string, R>(
  spec: LuaCommandSpec<K, A, R>,
): LuaCommand<K, A, R> {
  const lua = readFileSync(fileURLToPath(spec.file), 'utf8');
  const defineOn = (redis: RedisClient) => {
    // The number of keys is given at each call: some scripts take a variable number.
    if (!commandOn(redis, spec.name)) redis.defineCommand(spec.name, { lua });
  };
  return {
    name: spec.name,
    lua,
    defineOn,
    async run(redis, call) {
      defineOn(redis);
      const keys = [...spec.keys.map((k) => call.keys[k]), ...(call.moreKeys ?? [])];
      const args = [...spec.args.map((a) => call.args[a]), ...(call.moreArgs ?? [])];
      const command = commandOn(redis, spec.name) as ScriptFunction;
      return spec.reply(await command.call(redis, keys.length, ...keys, ...args));
    },
  };
}
