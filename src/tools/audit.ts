/**
 * `npm run audit`: prints the audit trail, the record that outlives Slack's message retention.
 *
 *   npm run audit -- <request-id | gateway-id>   the complete history of one request
 *   npm run audit -- --since 2h                  every event since a duration ago or an ISO time
 *   add --json for JSON lines instead of text
 *
 * Connects to Redis (REDIS_URL, or Sentinel, or a cluster) and reads REDIS_PREFIX like the bot;
 * changes nothing.
 */
import { ConfigError, loadConfig, parseDuration } from '../config/index.js';
import { exitWhenWritten } from '../observability/exit-when-written.js';
import { checkRedisReachable, connectRedis, RedisUnreachableError } from '../redis/index.js';
import { RequestStore } from '../workflow/store.js';
import { type AuditOperation, formatAuditEvent, formatRequest, peopleOf } from './audit-format.js';
import { findRequest, unknownIdMessage } from './lookup.js';

function parseSince(text: string, now = Date.now()): number | undefined {
  const ago = parseDuration(text);
  if (ago !== undefined) return now - ago;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : at;
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const args = argv.filter((a) => a !== '--json');
  const sinceIndex = args.indexOf('--since');
  const usage =
    'usage: npm run audit -- <request-id | gateway-id> | --since <2h | 2026-11-22T10:00:00Z> [--json]';
  if (args.length === 0) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  const config = loadConfig(process.env);
  await checkRedisReachable(config.redis);
  const redis = connectRedis(config.redis, { maxRetriesPerRequest: 2, lazyConnect: true });
  await redis.connect();
  const store = new RequestStore({ redis, prefix: config.redis.prefix });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    if (sinceIndex >= 0) {
      const since = parseSince(args[sinceIndex + 1] ?? '');
      if (since === undefined) {
        process.stderr.write(
          `--since needs a duration (2h, 30m) or a time (2026-11-22T10:00:00Z)\n${usage}\n`,
        );
        return 2;
      }
      const operations = new Map<string, AuditOperation>();
      for (const e of await store.auditSince(since, 100_000)) {
        if (json) {
          out(JSON.stringify(e));
          continue;
        }
        if (!operations.has(e.requestId))
          operations.set(e.requestId, (await store.get(e.requestId))?.operation ?? 'create');
        out(formatAuditEvent(e, { withRequestId: true, operation: operations.get(e.requestId) ?? 'create' }));
      }
      return 0;
    }
    const key = args[0] as string;
    const request = await findRequest(store, key);
    if (!request) {
      process.stderr.write(`${unknownIdMessage(key, config.redis.prefix)}\n`);
      return 1;
    }
    const trail = await store.auditTrail(request.id);
    if (json) {
      out(JSON.stringify({ request }));
      for (const e of trail) out(JSON.stringify(e));
    } else {
      out(formatRequest(request));
      out('');
      const people = peopleOf(request);
      for (const e of trail) out(formatAuditEvent(e, { people, operation: request.operation }));
    }
    return 0;
  } finally {
    redis.disconnect();
  }
}

main(process.argv.slice(2)).then(
  (code) => exitWhenWritten(code),
  (err: unknown) => {
    const known = err instanceof ConfigError || err instanceof RedisUnreachableError;
    process.stderr.write(`${known ? err.message : `audit failed: ${(err as Error).message}`}\n`);
    return exitWhenWritten(err instanceof ConfigError ? 2 : 1);
  },
);
